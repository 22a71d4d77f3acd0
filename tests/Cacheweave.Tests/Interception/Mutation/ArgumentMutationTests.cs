using Cacheweave.Backends;
using Cacheweave.Interception;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NSubstitute;

namespace Cacheweave.Tests.Interception.Mutation;

/// <summary>A result is stored only under the key its arguments still have when the method completes.</summary>
public sealed class ArgumentMutationTests : IDisposable
{
    private readonly IQuoteService _real = Substitute.For<IQuoteService>();
    private readonly LruBackend _backend = new(100);
    private readonly FakeLogger _log = new();
    private readonly ServiceProvider _provider;

    public ArgumentMutationTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(CapturedLog.FactoryOf(_log));
        services.AddCacheweave(b => b.UseDefaultBackend(_ => new NonOwningBackend(_backend)));
        services.AddSingleton(_real).AddCachedProxy<IQuoteService>();
        _provider = services.BuildServiceProvider();
    }

    private IQuoteService Proxy => _provider.GetRequiredService<IQuoteService>();

    public void Dispose()
    {
        _provider.Dispose();
        _backend.Dispose();
    }

    [Fact]
    public async Task A_Task_call_whose_argument_the_caller_mutates_in_flight_returns_its_result_but_stores_nothing()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _real.QuoteAsync(Arg.Any<Basket>()).Returns(async ci =>
        {
            var basket = ci.Arg<Basket>();
            await gate.Task;
            return "quote for " + basket.Name;
        });
        var basket = new Basket { Name = "apples" };

        var call = Proxy.QuoteAsync(basket);
        basket.Name = "pears";
        gate.SetResult();

        Assert.Equal("quote for pears", await call);
        Assert.Equal(0, _backend.Count);
        Assert.Equal("quote for apples", await Proxy.QuoteAsync(new Basket { Name = "apples" }));
        Assert.Equal(1, PlanOf(nameof(IQuoteService.QuoteAsync)).ArgumentsChangedCount);
        var warning = Assert.Single(_log.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains(nameof(IQuoteService.QuoteAsync), warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ValueTask_call_whose_argument_the_caller_mutates_in_flight_returns_its_result_but_stores_nothing()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _real.QuoteValueAsync(Arg.Any<Basket>()).Returns(ci => Later(ci.Arg<Basket>(), gate.Task));
        var basket = new Basket { Name = "apples" };

        var call = Proxy.QuoteValueAsync(basket).AsTask();
        basket.Name = "pears";
        gate.SetResult();

        Assert.Equal("quote for pears", await call);
        Assert.Equal(0, _backend.Count);
        Assert.Equal("quote for apples", await Proxy.QuoteValueAsync(new Basket { Name = "apples" }));
        Assert.Equal(1, PlanOf(nameof(IQuoteService.QuoteValueAsync)).ArgumentsChangedCount);
    }

    [Fact]
    public void A_method_that_mutates_its_own_argument_is_never_stored_under_the_old_state()
    {
        _real.Consume(Arg.Any<Basket>()).Returns(ci =>
        {
            var basket = ci.Arg<Basket>();
            basket.Name += " (consumed)";
            return "consumed " + basket.Name;
        });

        Assert.Equal("consumed plums (consumed)", Proxy.Consume(new Basket { Name = "plums" }));
        Assert.Equal("consumed plums (consumed)", Proxy.Consume(new Basket { Name = "plums" }));

        _real.Received(2).Consume(Arg.Any<Basket>());
        Assert.Equal(0, _backend.Count);
        Assert.Equal(2, PlanOf(nameof(IQuoteService.Consume)).ArgumentsChangedCount);
    }

    [Fact]
    public async Task An_argument_left_alone_is_stored_as_usual()
    {
        _real.QuoteAsync(Arg.Any<Basket>()).Returns(ci => "quote for " + ci.Arg<Basket>().Name);

        await Proxy.QuoteAsync(new Basket { Name = "figs" });
        await Proxy.QuoteAsync(new Basket { Name = "figs" });

        await _real.Received(1).QuoteAsync(Arg.Any<Basket>());
        Assert.Equal(0, PlanOf(nameof(IQuoteService.QuoteAsync)).ArgumentsChangedCount);
    }

    private static async ValueTask<string> Later(Basket basket, Task gate)
    {
        await gate;
        return "quote for " + basket.Name;
    }

    private CachedMethodPlan PlanOf(string method) =>
        (CachedMethodPlan)_provider.GetRequiredKeyedService<CachingInterceptor>(typeof(IQuoteService))
            .PlanFor(typeof(IQuoteService).GetMethod(method)!);
}
