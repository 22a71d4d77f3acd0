using System.Diagnostics.CodeAnalysis;

namespace Cacheweave.Backends;

/// <summary>The outcome of a cache read: either a miss, or a hit carrying a value (which may be <see langword="null"/>).</summary>
/// <typeparam name="T">The type of the value.</typeparam>
public readonly struct CacheResult<T> : IEquatable<CacheResult<T>>
{
    private readonly T? _value;

    /// <summary>Creates a hit carrying <paramref name="value"/>.</summary>
    /// <param name="value">The cached value; <see langword="null"/> is a cached null, not a miss.</param>
    public CacheResult(T? value)
    {
        _value = value;
        HasValue = true;
    }

    /// <summary>The result of a lookup that found nothing.</summary>
    public static CacheResult<T> Miss => default;

    /// <summary><see langword="true"/> for a hit, including a cached null; <see langword="false"/> for a miss.</summary>
    public bool HasValue { get; }

    /// <summary>The cached value.</summary>
    /// <exception cref="InvalidOperationException">The result is a miss.</exception>
    public T? Value => HasValue ? _value : throw new InvalidOperationException("The cache lookup was a miss; there is no value.");

    /// <summary>Gets the value when the result is a hit.</summary>
    /// <param name="value">The cached value on a hit; <see langword="default"/> on a miss.</param>
    /// <returns><see langword="true"/> on a hit.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value!;
        return HasValue;
    }

    /// <inheritdoc />
    public bool Equals(CacheResult<T> other) =>
        HasValue == other.HasValue && EqualityComparer<T?>.Default.Equals(_value, other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CacheResult<T> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HasValue ? HashCode.Combine(true, _value) : 0;

    /// <inheritdoc />
    public override string ToString() => HasValue ? $"Hit({_value?.ToString() ?? "null"})" : "Miss";

    /// <summary>Compares two results.</summary>
    public static bool operator ==(CacheResult<T> left, CacheResult<T> right) => left.Equals(right);

    /// <summary>Compares two results.</summary>
    public static bool operator !=(CacheResult<T> left, CacheResult<T> right) => !left.Equals(right);
}
