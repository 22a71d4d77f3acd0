namespace Cacheweave.Benchmarks.Interception;

/// <summary>
/// The real service: returns one prepared order, and a completed task it keeps, so that calling it costs only the
/// call. The benchmarks then show what each caching layer adds on a hit, not what the service costs.
/// </summary>
public sealed class OrderService : IOrderService
{
    private static readonly Order Prepared = new(new Guid("0b7f9c52-3a6e-4d8f-9e61-7c2d5a4b3e10"), 42, "eu-west", 129.90m);
    private static readonly Task<Order> PreparedTask = Task.FromResult(Prepared);

    /// <inheritdoc />
    public Task<Order> GetOrderAsync(int customerId, string region, Guid id) => PreparedTask;

    /// <inheritdoc />
    public ValueTask<Order> GetOrderValueAsync(int customerId, string region, Guid id) => new(Prepared);

    /// <inheritdoc />
    public Order GetOrder(int customerId, string region, Guid id) => Prepared;

    /// <inheritdoc />
    public Task<Order> GetTaggedOrderAsync(int customerId, string region, Guid id) => PreparedTask;
    public Task<Order> GetOrderFailSafeAsync(int customerId, string region, Guid id) => PreparedTask;
}
