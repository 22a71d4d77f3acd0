using Cacheweave.Diagnostics;
using Cacheweave.Resilience;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cacheweave.HealthChecks;

/// <summary>
/// Reports the shared tiers (such as Redis) of the container's Cacheweave backends from their circuit breakers:
/// healthy when every circuit is closed, degraded when one is half-open (a probe is testing the tier) or only writes
/// are refused, unhealthy when reads cannot reach a tier (its read circuit is open, or a call timed out and no probe
/// has seen it answer since). Cached calls keep working in every state; the real methods run instead of the tier.
/// </summary>
internal sealed class CacheweaveHealthCheck : IHealthCheck
{
    private readonly IServiceProvider _services;

    public CacheweaveHealthCheck(IServiceProvider services)
    {
        _services = services;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(ContainerBackends.SharedTiers(_services)));

    /// <summary>The health of <paramref name="tiers"/>: the worst of theirs.</summary>
    internal static HealthCheckResult Evaluate(IReadOnlyList<(string Name, ResilientCacheBackend Tier)> tiers)
    {
        if (tiers.Count == 0)
        {
            return HealthCheckResult.Healthy("No Cacheweave backend has a shared tier; in-memory backends have no state to report.");
        }

        var worst = HealthStatus.Healthy;
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var (name, tier) in tiers)
        {
            var (status, reason) = Evaluate(tier);
            data[name] = $"reads {Describe(tier.ReadCircuit.State)}, writes {Describe(tier.WriteCircuit.State)}{(tier.IsHanging ? ", hanging" : "")}";
            if (status < worst)
            {
                worst = status;
            }

            if (reason is not null)
            {
                reasons.Add($"'{name}': {reason}");
            }
        }

        var description = reasons.Count == 0
            ? "Every shared cache tier is answering."
            : "Shared cache tier " + string.Join("; ", reasons) + ". Cached calls run the real methods where the tier cannot answer.";
        return new HealthCheckResult(worst, description, data: data);
    }

    private static (HealthStatus Status, string? Reason) Evaluate(ResilientCacheBackend tier)
    {
        if (tier.ReadCircuit.State == CircuitState.Open)
        {
            return (HealthStatus.Unhealthy, "the read circuit is open");
        }

        if (tier.IsHanging)
        {
            return (HealthStatus.Unhealthy, "a call timed out and no probe has seen the tier answer since");
        }

        if (tier.ReadCircuit.State == CircuitState.HalfOpen)
        {
            return (HealthStatus.Degraded, "the read circuit is half-open (a probe is testing the tier)");
        }

        return tier.WriteCircuit.State switch
        {
            CircuitState.Open => (HealthStatus.Degraded, "the write circuit is open (reads are served, writes are dropped)"),
            CircuitState.HalfOpen => (HealthStatus.Degraded, "the write circuit is half-open (a probe is testing writes)"),
            _ => (HealthStatus.Healthy, null),
        };
    }

    private static string Describe(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        _ => "half-open",
    };
}
