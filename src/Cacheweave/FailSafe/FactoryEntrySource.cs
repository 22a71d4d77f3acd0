using Cacheweave.Backends;
using Cacheweave.Serialization;
using Microsoft.Extensions.Logging;

namespace Cacheweave.FailSafe;

/// <summary>The source of a <c>GetOrCreateAsync</c> call: the request's target is the caller's factory.</summary>
internal sealed class FactoryEntrySource<T> : IEntrySource<T>
{
    private readonly ILogger _logger;

    public FactoryEntrySource(ILogger logger) => _logger = logger;

    public string Name => "GetOrCreateAsync";

    public bool Blocks => false;

    public ValueTask<T> RunAsync(object target, object?[] arguments, CancellationToken cancellationToken) =>
        ((Func<CancellationToken, ValueTask<T>>)target)(cancellationToken);

    public bool StillDescribes(string key, long? version, object?[] arguments) => true;

    public object?[] Detach(object?[] arguments) => arguments;

    public void ReportRejected(string key, CacheValueRejectedException rejection) =>
        Interception.InterceptionLog.ValueRejected(_logger, Name, key, rejection.Reason, rejection);

    public void ReportLockTimeout(string key)
    {
        // GetOrCreateAsync waits as long as it takes: there is no lock timeout to report.
    }

    // A direct caller sizes its entries as with PutAsync: through the backend's sizer or the options it gives.
    public bool TrySize(string key, CacheEnvelope<T> envelope, ref CacheEntryOptions? options) => true;
}
