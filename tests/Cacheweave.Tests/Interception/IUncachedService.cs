namespace Cacheweave.Tests.Interception;

/// <summary>A service nobody registered with AddCachedProxy.</summary>
public interface IUncachedService
{
    Task<int> ValueAsync(int id);
}
