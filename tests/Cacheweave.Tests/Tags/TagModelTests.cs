using Cacheweave.Backends;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.DependencyInjection;
using Cacheweave.Interception;

namespace Cacheweave.Tests.Tags;

/// <summary>
/// Random calls whose entries carry random tag sets, and random tag invalidations, against a reference model (a
/// dictionary of the calls that must still be cached): every call must be a hit exactly when the model holds it, so a
/// tag invalidation must drop exactly the entries carrying the tag.
/// </summary>
public sealed class TagModelTests
{
    private const int Values = 4;

    [Property(MaxTest = 300)]
    public Property Tag_invalidation_drops_exactly_the_entries_carrying_the_tag() =>
        Prop.ForAll(Arb.From(Scenario()), operations =>
        {
            var real = new TagModelService();
            using var backend = new LruBackend(100_000);
            var services = new ServiceCollection();
            services.AddCacheweave(b => b.UseDefaultBackend(_ => backend));
            services.AddSingleton<ITagModelService>(real);
            services.AddCachedProxy<ITagModelService>();
            using var provider = services.BuildServiceProvider();
            var proxy = provider.GetRequiredService<ITagModelService>();
            var invalidator = provider.GetRequiredService<ICacheInvalidator>();
            var model = new Dictionary<(int Id, int A, int B), int>();

            foreach (var operation in operations)
            {
                if (operation.Invalidate)
                {
                    invalidator.InvalidateTagAsync($"t:{operation.A}").AsTask().GetAwaiter().GetResult();
                    foreach (var key in model.Keys.Where(k => k.A == operation.A || k.B == operation.A).ToList())
                    {
                        model.Remove(key);
                    }
                }
                else
                {
                    Call(proxy, real, model, (operation.Id, operation.A, operation.B));
                }
            }

            // Finally every possible call: still cached exactly when the model says so.
            for (var id = 0; id < 2; id++)
            {
                for (var a = 0; a < Values; a++)
                {
                    for (var b = 0; b < Values; b++)
                    {
                        Call(proxy, real, model, (id, a, b));
                    }
                }
            }
        });

    private static void Call(ITagModelService proxy, TagModelService real, Dictionary<(int Id, int A, int B), int> model, (int Id, int A, int B) call)
    {
        var runsBefore = real.Runs;
        var value = proxy.Read(call.Id, call.A, call.B);
        if (model.TryGetValue(call, out var cached))
        {
            Assert.True(value == cached, $"{call} should have been a hit on {cached} and returned {value}.");
        }
        else
        {
            Assert.True(real.Runs == runsBefore + 1 && value == real.Runs, $"{call} should have been a miss and returned {value}.");
            model[call] = value;
        }
    }

    private static Gen<TagOperation[]> Scenario()
    {
        var value = Gen.Choose(0, Values - 1);
        var operation = Gen.Frequency(
            (4, from id in Gen.Choose(0, 1) from a in value from b in value select new TagOperation(false, id, a, b)),
            (1, value.Select(tag => new TagOperation(true, 0, tag, 0))));
        return from length in Gen.Choose(10, 60) from operations in operation.ArrayOf(length) select operations;
    }
}
