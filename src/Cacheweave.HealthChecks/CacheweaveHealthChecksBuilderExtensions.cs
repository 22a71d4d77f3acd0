using Cacheweave.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Cacheweave's health check: <c>services.AddHealthChecks().AddCacheweaveHealthChecks()</c>.</summary>
public static class CacheweaveHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a check of the shared tiers (such as Redis) behind the backends <c>AddCacheweave</c> registered: the default
    /// backend and the named ones. It reports <see cref="HealthStatus.Healthy"/> while every circuit breaker is closed (or
    /// when no backend has a shared tier), <see cref="HealthStatus.Degraded"/> while a read circuit is half-open or the
    /// write circuit is not closed, and <see cref="HealthStatus.Unhealthy"/> while a read circuit is open or the tier
    /// hangs. The data of the result holds each tier's state under its backend's name (<c>default</c> for the default one).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; not null or empty. Default <c>cacheweave</c>.</param>
    /// <param name="tags">Tags to filter checks by (for example to serve this one on a readiness endpoint); optional.</param>
    /// <returns><paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static IHealthChecksBuilder AddCacheweaveHealthChecks(this IHealthChecksBuilder builder, string name = "cacheweave", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(name, static services => new CacheweaveHealthCheck(services), failureStatus: null, tags));
    }
}
