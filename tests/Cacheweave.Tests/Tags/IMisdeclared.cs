using Cacheweave.Interception;

namespace Cacheweave.Tests.Tags;

public interface IUnknownTagParameter
{
    [Cached(Tags = new[] { "user:{id}" })]
    Task<string> GetAsync(int userId);
}

public interface IUnknownTagProperty
{
    [Cached(Tags = new[] { "tenant:{filter.Tenant}" })]
    Task<string> SearchAsync(OrderFilter filter);
}

public interface IInvalidatesNothing
{
    [InvalidatesCache]
    Task SaveAsync(int id);
}

public interface IInvalidatesAndCached
{
    [Cached]
    [InvalidatesCache(Tags = new[] { "x:{id}" })]
    Task<int> SaveAsync(int id);
}

public interface IInvalidatesUnknownMethod
{
    [Cached]
    Task<int> GetAsync(int id);

    [InvalidatesCache(Method = "Nope")]
    Task SaveAsync(int id);
}

public interface IInvalidatesUnmatchedParameters
{
    [Cached]
    Task<int> GetAsync(int id, string region);

    [InvalidatesCache(Method = nameof(GetAsync))]
    Task SaveAsync(int id);
}

public interface IInvalidatesAmbiguousOverloads
{
    [Cached]
    Task<int> GetAsync(int id);

    [Cached]
    Task<int> GetAsync(int id, CancellationToken cancellationToken);

    [InvalidatesCache(Method = nameof(GetAsync))]
    Task SaveAsync(int id);
}

public interface IInvalidatesWithBadTemplate
{
    [InvalidatesCache(Tags = new[] { "user:{user.Nope}" })]
    Task SaveAsync(CatalogUser user);
}

public interface ITagOverIgnoredParameter
{
    [Cached(Tags = new[] { "trace:{trace}" })]
    Task<string> GetAsync(int id, [Cacheweave.Keys.NotPartOfKey] string trace);
}
