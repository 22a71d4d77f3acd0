using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cacheweave.Interception;

/// <summary>
/// Tells whether two values are the very same value, so that a completed task or box made for one can be handed out
/// for the other: the same reference for reference types, the same bits for value types without references.
/// Never user equality, which may call different values equal.
/// </summary>
internal static class SameValue<T>
{
    public static bool Equals(T left, T right)
    {
        if (!typeof(T).IsValueType)
        {
            return ReferenceEquals(left, right);
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            return false;
        }

        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref left), Unsafe.SizeOf<T>())
            .SequenceEqual(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, byte>(ref right), Unsafe.SizeOf<T>()));
    }
}
