namespace Cacheweave.Examples.WebApi;

/// <summary>The endpoints of the fail-safe demo: prices that change often, and the switch that breaks the database.</summary>
public static class DependencyEndpoints
{
    public static IServiceCollection AddDependencySwitch(this IServiceCollection services) => services.AddSingleton<DependencySwitch>();

    public static WebApplication MapDependencyEndpoints(this WebApplication app)
    {
        // Served from the cache while the database is down (fail-safe), refreshed in the background before expiry.
        app.MapGet("/prices/{id:int}", async (int id, IProductCatalog catalog, CancellationToken cancellationToken) =>
            await catalog.GetPriceAsync(id, cancellationToken));

        app.MapPost("/dependency/fail", (DependencySwitch dependency) => dependency.Failing = true);
        app.MapPost("/dependency/recover", (DependencySwitch dependency) => dependency.Failing = false);
        app.MapGet("/dependency", (DependencySwitch dependency) => new { failing = dependency.Failing, failedCalls = dependency.FailedCalls });
        return app;
    }
}
