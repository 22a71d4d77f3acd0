namespace Cacheweave.Tests.Interception.Inheritance;

public interface IUserStore : IStore
{
}
