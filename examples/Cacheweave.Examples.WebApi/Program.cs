using Cacheweave.Examples.WebApi;
using Cacheweave.Interception;

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // Loopback only unless told otherwise: dotnet run -- --urls http://127.0.0.1:5080
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

builder.Services.AddCacheweave();
builder.Services.AddSingleton<ExecutionCounter>();
builder.Services.AddDependencySwitch();
builder.Services.AddCachedProxy<IProductCatalog, SlowProductCatalog>();
builder.Services.AddExampleTelemetry(builder.Configuration);

var app = builder.Build();

app.MapGet("/products/{id:int}", async (int id, IProductCatalog catalog, CancellationToken cancellationToken) =>
    await catalog.GetProductAsync(id, cancellationToken) is { } product ? Results.Ok(product) : Results.NotFound());

// Drops the cached entry after a change, so the next read sees it.
app.MapDelete("/products/{id:int}/cache", async (int id, ICacheInvalidator invalidator) =>
    await invalidator.InvalidateAsync<IProductCatalog>(c => c.GetProductAsync(id, default)) ? Results.NoContent() : Results.NotFound());

app.MapDependencyEndpoints();

app.MapGet("/stats", (ExecutionCounter counter) => new { catalogExecutions = counter.Count });
app.MapHealthChecks("/health");

app.Run();
