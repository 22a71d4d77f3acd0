namespace Cacheweave.Tests.Keys;

public enum Shade
{
    Light,
    Dark,
}
