namespace Cacheweave.Tests.Keys;

/// <summary>An enum whose member has the same number as an <see cref="int"/> argument.</summary>
public enum SomeEnum
{
    First = 1,
    Second = 2,
}
