using Cacheweave.Interception;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>A cached service whose results are as large as the caller asks: for the size-cap tests through a proxy.</summary>
public interface IReportService
{
    [Cached(TtlSeconds = 60)]
    Task<string> RenderAsync(int characters);
}
