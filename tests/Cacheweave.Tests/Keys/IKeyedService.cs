using Cacheweave.Interception;
using Cacheweave.Keys;

namespace Cacheweave.Tests.Keys;

/// <summary>Methods whose keys the key tests compute. Renaming or moving anything here changes the golden keys.</summary>
public interface IKeyedService
{
    [Cached]
    Task<string> LookupAsync(int id, string name, Address address, CancellationToken cancellationToken = default);

    [Cached]
    Task<string> EverythingAsync(
        int number,
        long big,
        double ratio,
        bool flag,
        string text,
        Guid id,
        DateTime at,
        DateTimeOffset atOffset,
        decimal amount,
        Shade shade,
        int? maybe,
        int[] numbers,
        List<string> names,
        Dictionary<string, int> scores,
        Address address,
        Coordinates coordinates);

    [Cached]
    Task<string> TracedAsync(int id, [NotPartOfKey] string correlationId);

    [Cached]
    Task<T> GenericAsync<T>(T value);

    [Cached]
    Task<string> OverloadAsync(int id);

    [Cached]
    Task<string> OverloadAsync(long id);

    [Cached]
    Task<string> ResourceAsync(IDisposable resource);

    [Cached]
    Task<string> FilterAsync(object filter);
}
