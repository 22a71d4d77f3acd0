namespace Cacheweave.Serialization;

/// <summary>What the serialization guard protects: key bytes (written only, hashed) or stored values (written and read back).</summary>
internal enum GuardMode
{
    /// <summary>
    /// Key bytes. A value whose runtime type differs from its declared type is written tagged with its runtime type;
    /// dictionaries and sets are written in a canonical entry order; a string that is not well-formed UTF-16 is
    /// written as its code units. Too deep (or cyclic) graphs throw <see cref="InvalidOperationException"/>.
    /// </summary>
    Key,

    /// <summary>
    /// Stored values. A value whose runtime type differs from its declared type would come back as the declared type,
    /// so it is refused; too deep (or cyclic) graphs are refused; both with <see cref="CacheValueRejectedException"/>.
    /// A string that is not well-formed UTF-16 is written as its code units and read back as the same string.
    /// </summary>
    Value,
}
