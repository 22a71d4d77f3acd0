namespace Cacheweave.Tests.Tags;

public sealed class InvalidatesCacheTests : IDisposable
{
    private readonly CatalogHarness _harness = new();

    private ICatalog Proxy => _harness.Proxy;

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task A_Task_method_drops_its_tags_after_it_completes()
    {
        var before = await Proxy.GetUserAsync(1);
        var other = await Proxy.GetUserAsync(2);

        await Proxy.SaveUserAsync(new CatalogUser(1, "Ada"));

        Assert.NotEqual(before, await Proxy.GetUserAsync(1));
        Assert.Equal(other, await Proxy.GetUserAsync(2));
    }

    [Fact]
    public async Task A_ValueTask_method_drops_its_tags_after_it_completes()
    {
        var before = await Proxy.GetUserAsync(1);

        await Proxy.TouchUserAsync(1);

        Assert.NotEqual(before, await Proxy.GetUserAsync(1));
    }

    [Fact]
    public async Task Task_of_T_and_ValueTask_of_T_methods_drop_their_tags_and_return_their_result()
    {
        var first = await Proxy.GetUserAsync(3);
        Assert.Equal(3, await Proxy.UpdateUserAsync(3));
        var second = await Proxy.GetUserAsync(3);
        Assert.Equal(3, await Proxy.PatchUserAsync(3));
        var third = await Proxy.GetUserAsync(3);

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
    }

    [Fact]
    public void Synchronous_methods_drop_their_tags_before_returning()
    {
        var first = Proxy.GetTenant(7);
        Proxy.RenameTenant(7, "seven");
        var second = Proxy.GetTenant(7);
        Assert.Equal(7, Proxy.RenameTenantCounting(7, "sieben"));

        Assert.Equal(3, new[] { first, second, Proxy.GetTenant(7) }.Distinct().Count());
    }

    [Fact]
    public async Task Nothing_is_dropped_when_the_method_throws_or_its_task_faults()
    {
        var user = await Proxy.GetUserAsync(1);
        var tenant = Proxy.GetTenant(7);
        _harness.Real.Fail = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.SaveUserAsync(new CatalogUser(1, "Ada")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.TouchUserAsync(1).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.UpdateUserAsync(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.PatchUserAsync(1).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => Proxy.ResetUserAsync(1));
        Assert.Throws<InvalidOperationException>(() => Proxy.RenameTenant(7, "x"));
        Assert.Throws<InvalidOperationException>(() => Proxy.RenameTenantCounting(7, "x"));

        Assert.Equal(user, await Proxy.GetUserAsync(1));
        Assert.Equal(tenant, Proxy.GetTenant(7));
    }

    [Fact]
    public async Task Method_drops_the_entry_of_the_named_method_with_the_same_arguments_by_name()
    {
        var one = await Proxy.GetUntaggedAsync(1);
        var two = await Proxy.GetUntaggedAsync(2);

        await Proxy.ResetUntaggedAsync("because", 1);

        Assert.NotEqual(one, await Proxy.GetUntaggedAsync(1));
        Assert.Equal(two, await Proxy.GetUntaggedAsync(2));
    }

    [Fact]
    public async Task Method_reaches_a_tagged_method_through_its_current_tag_versions()
    {
        var one = await Proxy.GetUserAsync(1);

        await Proxy.ResetUserAsync(1);

        Assert.NotEqual(one, await Proxy.GetUserAsync(1));
    }

    [Fact]
    public async Task The_drop_happens_only_once_the_method_has_completed()
    {
        var before = await Proxy.GetUserAsync(1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Real.SaveGate = gate.Task;

        var saving = Proxy.SaveUserAsync(new CatalogUser(1, "Ada"));
        Assert.Equal(before, await Proxy.GetUserAsync(1));
        gate.SetResult();
        await saving;

        Assert.NotEqual(before, await Proxy.GetUserAsync(1));
    }
}
