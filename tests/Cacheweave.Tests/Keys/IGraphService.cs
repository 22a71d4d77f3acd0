using Cacheweave.Interception;

namespace Cacheweave.Tests.Keys;

/// <summary>Methods whose arguments can be deep, cyclic, polymorphic or odd strings.</summary>
public interface IGraphService
{
    [Cached]
    Task<int> ChainAsync(ChainNode node);

    [Cached]
    Task<int> NestedAsync(List<object> items);

    [Cached]
    Task<string> DescribeAsync(Animal animal);

    [Cached]
    Task<string> FindAsync(object query);

    [Cached]
    Task<string> EchoAsync(string text);

    [Cached]
    Task<string> OwnerAsync(Owner owner);

    [Cached]
    Task<string> PetsAsync(List<Animal> pets);

    [Cached]
    Task<string> NamedPetsAsync(Dictionary<string, Animal> pets);

    [Cached]
    Task<string> TextsAsync(List<string> texts);

    [Cached]
    Task<string> ScoresAsync(Dictionary<string, int> scores);

    [Cached]
    Task<string> TagsAsync(HashSet<string> tags);

    [Cached]
    Task<string> ReadOnlyScoresAsync(IReadOnlyDictionary<string, int> scores);

    [Cached]
    Task<string> NumbersAsync(IReadOnlyList<int> numbers);
}
