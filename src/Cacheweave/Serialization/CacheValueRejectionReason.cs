namespace Cacheweave.Serialization;

/// <summary>Why a serializing tier refused to store a value (see <see cref="CacheValueRejectedException"/>).</summary>
public enum CacheValueRejectionReason
{
    /// <summary>The serializer failed for another reason.</summary>
    Unserializable = 0,

    /// <summary>The encoded value is larger than the tier's maximum value size.</summary>
    TooLarge = 1,

    /// <summary>The value is nested deeper than the serialization guard allows, or refers to itself.</summary>
    TooDeep = 2,

    /// <summary>The value, or an object inside it, has a runtime type other than the declared one and would come back as the declared type.</summary>
    RuntimeTypeMismatch = 3,
}
