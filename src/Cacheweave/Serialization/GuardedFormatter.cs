using MessagePack;
using MessagePack.Formatters;

namespace Cacheweave.Serialization;

/// <summary>
/// The guard around the inner formatter of a reference type: counts the level, applies the runtime-type policy and,
/// for dictionaries and sets in key mode, the canonical entry order. Reading is the inner formatter's own (its depth
/// is limited by the options' security settings).
/// </summary>
internal sealed class GuardedFormatter<T> : IMessagePackFormatter<T>
{
    private readonly IMessagePackFormatter<T> _inner;
    private readonly GuardingResolver _resolver;
    private readonly bool _checkRuntimeType;
    // A dictionary or set: in keys its entries are written in canonical order (with its comparer, when not the
    // default); in stored values one whose comparer is not the default is refused, since only its entries are stored.
    private readonly bool _canonicalOrder;
    private readonly bool _refuseNonDefaultComparer;
    private readonly int _maxDepth;

    public GuardedFormatter(IMessagePackFormatter<T> inner, GuardingResolver resolver, bool checkRuntimeType, bool unordered)
    {
        _inner = inner;
        _resolver = resolver;
        _checkRuntimeType = checkRuntimeType;
        _canonicalOrder = unordered && resolver.Mode == GuardMode.Key;
        _refuseNonDefaultComparer = unordered && resolver.Mode == GuardMode.Value;
        _maxDepth = resolver.MaxDepth;
    }

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            _inner.Serialize(ref writer, value, options);
            return;
        }

        if (!SerializationDepth.TryEnter(_maxDepth))
        {
            throw _resolver.TooDeep(typeof(T));
        }

        try
        {
            if (_checkRuntimeType && value.GetType() != typeof(T))
            {
                WriteRuntimeTyped(ref writer, value, options);
            }
            else if (_canonicalOrder)
            {
                CanonicalOrder.Write(ref writer, value, _inner, options);
            }
            else if (_refuseNonDefaultComparer && CollectionComparer.NonDefaultComparerOf(value) is { } comparer)
            {
                throw CollectionComparer.Lost(value, comparer);
            }
            else
            {
                _inner.Serialize(ref writer, value, options);
            }
        }
        finally
        {
            SerializationDepth.Exit();
        }
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) => _inner.Deserialize(ref reader, options);

    private void WriteRuntimeTyped(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        var runtimeType = value!.GetType();
        if (_resolver.Mode == GuardMode.Value)
        {
            throw GuardingResolver.RuntimeTypeMismatch(typeof(T), runtimeType);
        }

        _resolver.RuntimeTypeWriterFor(runtimeType).WriteTagged(ref writer, value, options);
    }
}
