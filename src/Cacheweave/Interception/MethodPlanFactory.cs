using System.Collections.Concurrent;
using System.Reflection;
using Cacheweave.Backends;
using Cacheweave.Diagnostics;
using Cacheweave.FailSafe;
using Cacheweave.Serialization;
using Cacheweave.Tags;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cacheweave.Interception;

/// <summary>Builds the plan of one method of a service: reads its settings, resolves its backend, picks the generic handler.</summary>
internal sealed class MethodPlanFactory
{
    private readonly Func<string?, ICacheBackend?> _backends;
    private readonly KeyedLock _locks;
    private readonly Type? _serviceType;
    private readonly ILogger _logger;
    private readonly ICacheValueSerializer? _valueSerializer;
    private readonly CacheweaveMetrics? _metrics;
    private readonly TagInvalidator? _tags;
    private readonly ConcurrentDictionary<MethodInfo, MethodPlan> _created = new();
    private readonly TimeProvider _timeProvider;

    /// <param name="backends">Returns the backend of a name (<see langword="null"/>: the default), or <see langword="null"/> when there is none.</param>
    /// <param name="locks">The container's per-key locks.</param>
    /// <param name="serviceType">The proxied interface, named in the keys of the methods it inherits; <see langword="null"/> for each method's declaring interface.</param>
    /// <param name="loggerFactory">Creates the plans' logger; <see langword="null"/> logs nothing.</param>
    /// <param name="valueSerializer">The container's value serializer, which sizes results for backends with a byte budget; <see langword="null"/> for MessagePack.</param>
    /// <param name="metrics">Reports the plans' calls; <see langword="null"/> reports none (spans are still emitted).</param>
    /// <param name="tags">Invalidates tags for <see cref="InvalidatesCacheAttribute"/> methods; <see langword="null"/> leaves them uncached pass-throughs.</param>
    /// <param name="timeProvider">The clock of logical lifetimes and timeouts; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public MethodPlanFactory(
        Func<string?, ICacheBackend?> backends,
        KeyedLock locks,
        Type? serviceType = null,
        ILoggerFactory? loggerFactory = null,
        ICacheValueSerializer? valueSerializer = null,
        CacheweaveMetrics? metrics = null,
        TagInvalidator? tags = null,
        TimeProvider? timeProvider = null)
    {
        _valueSerializer = valueSerializer;
        _metrics = metrics;
        _tags = tags;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _backends = backends;
        _locks = locks;
        _serviceType = serviceType;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Cacheweave.Interception.CachingInterceptor");
    }

    /// <summary>Returns the plan of <paramref name="method"/> (closed, when generic), building it once.</summary>
    /// <exception cref="InvalidOperationException">The method is marked but cannot be cached, or names an unknown backend.</exception>
    public MethodPlan Create(MethodInfo method) => _created.TryGetValue(method, out var plan) ? plan : _created.GetOrAdd(method, Build(method));

    private MethodPlan Build(MethodInfo method)
    {
        var settings = CachedMethodSettings.For(method, _serviceType);
        if (settings is null)
        {
            return _tags is not null && InvalidatingMethodSettings.For(method, _serviceType ?? method.DeclaringType!) is { } invalidating
                ? new InvalidatingMethodPlan(invalidating, _tags, invalidating.Target is { } target ? (CachedMethodPlan)Create(target) : null, _logger)
                : PassThroughMethodPlan.Instance;
        }

        var backend = _backends(settings.Backend) ?? throw new InvalidOperationException(
            $"[Cached] on {method.DeclaringType?.FullName}.{method.Name} names the backend '{settings.Backend}', which is not registered. " +
            $"Register it with services.AddCacheweave(b => b.AddBackend(\"{settings.Backend}\", …)).");

        ValueRoundTripCheck.Ensure(method, settings.ValueType, backend);
        if (settings.Lifetime is not null)
        {
            // The method stores envelopes: they must round-trip as well as the bare value does.
            ValueRoundTripCheck.Ensure(method, typeof(CacheEnvelope<>).MakeGenericType(settings.ValueType), backend);
            settings.TimeProvider = _timeProvider;
        }

        var planType = settings.Shape switch
        {
            ReturnShape.Task => typeof(TaskMethodPlan<>),
            ReturnShape.ValueTask => typeof(ValueTaskMethodPlan<>),
            _ => typeof(SyncMethodPlan<>),
        };

        try
        {
            var plan = (CachedMethodPlan)Activator.CreateInstance(planType.MakeGenericType(settings.ValueType), settings, backend, _locks, _logger)!;
            plan.Sizing = EntrySizing.For(backend, _valueSerializer);
            return Tracked(plan, settings.Backend);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private MethodPlan Tracked(MethodPlan plan, string? backendName)
    {
        if (plan is CachedMethodPlan cached)
        {
            _metrics?.Track(cached, backendName);
        }

        return plan;
    }
}
