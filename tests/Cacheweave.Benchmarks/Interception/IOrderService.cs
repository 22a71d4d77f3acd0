using Cacheweave.Interception;

namespace Cacheweave.Benchmarks.Interception;

/// <summary>A service with the same three-argument lookup in each shape Cacheweave caches.</summary>
public interface IOrderService
{
    /// <summary>The order, as a task.</summary>
    [Cached(KeyPrefix = "orders")]
    Task<Order> GetOrderAsync(int customerId, string region, Guid id);

    /// <summary>The order, as a value task.</summary>
    [Cached(KeyPrefix = "orders")]
    ValueTask<Order> GetOrderValueAsync(int customerId, string region, Guid id);

    /// <summary>The order, synchronously.</summary>
    [Cached(KeyPrefix = "orders")]
    Order GetOrder(int customerId, string region, Guid id);

    /// <summary>The order, as a task, cached with one tag over an argument, shared by a quarter of the calls (one more backend read per call).</summary>
    [Cached(KeyPrefix = "orders", Tags = new[] { "region:{region}" })]
    Task<Order> GetTaggedOrderAsync(int customerId, string region, Guid id);
    /// <summary>The order, as a task, with fail-safe and eager refresh: its entries are envelopes.</summary>
    [Cached(KeyPrefix = "orders-failsafe", TtlSeconds = 3600, FailSafeSeconds = 3600, EagerRefresh = 0.9)]
    Task<Order> GetOrderFailSafeAsync(int customerId, string region, Guid id);
}
