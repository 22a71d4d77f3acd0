namespace Cacheweave.Tests.Interception.Inheritance;

public interface IOrderStore : IStore
{
}
