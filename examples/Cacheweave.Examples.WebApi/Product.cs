namespace Cacheweave.Examples.WebApi;

public sealed record Product(int Id, string Name, decimal Price);
