namespace Cacheweave.Tests.DependencyInjection;

public interface IPlainService
{
    Task<int> GetAsync(int id);
}
