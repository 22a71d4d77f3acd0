using Cacheweave.Interception;

namespace Cacheweave.Tests.Tags;

/// <summary>A cached method whose entries carry one or two tags, chosen by its arguments.</summary>
public interface ITagModelService
{
    [Cached(Tags = new[] { "t:{a}", "t:{b}" })]
    int Read(int id, int a, int b);
}
