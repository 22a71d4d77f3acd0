using Cacheweave.Backends;
using Cacheweave.Interception;

namespace Cacheweave.Tags;

/// <summary>
/// The key version of a tagged method: the versions of the call's tags (and the method's own version, for a
/// versioned method) folded into one 64-bit number that enters the key. Invalidating a tag removes its version entry;
/// the next call makes a new random version, so every key built from the old one is never computed again.
/// </summary>
/// <remarks>
/// Folding is <c>acc = Mix(acc) ^ part</c> with a bijective 64-bit mixer: with the other parts fixed, the folded number
/// is a bijection of each part, so a renewed (uniformly random) part gives a uniformly random key version, which meets
/// an earlier one with probability 2^-64.
/// </remarks>
internal sealed class TagVersions : KeyVersion
{
    private readonly Func<object?[], string>[] _keysOf;
    private readonly ICacheBackend _backend;
    private readonly KeyedLock _locks;
    private readonly MethodVersion? _method;

    public TagVersions(IReadOnlyList<TagTemplate> templates, ICacheBackend backend, KeyedLock locks, MethodVersion? method)
    {
        _keysOf = templates.Select(static template => TagKeyMemo.Wrap(template, template.Compile(TagKeys.Prefix))).ToArray();
        _backend = backend;
        _locks = locks;
        _method = method;
    }

    /// <summary>The version keys of the tags of a call with <paramref name="arguments"/>.</summary>
    public string[] KeysOf(object?[] arguments) => Array.ConvertAll(_keysOf, keyOf => keyOf(arguments));

    /// <inheritdoc />
    public override ValueTask<CacheResult<long>> ReadAsync(object?[] arguments, CancellationToken cancellationToken)
    {
        // The hot path: an in-memory (or L1) backend answers every read synchronously, and nothing allocates.
        var folded = 0L;
        if (_method is not null)
        {
            var read = _method.ReadAsync(cancellationToken);
            if (!read.IsCompletedSuccessfully)
            {
                return ReadSlowlyAsync(-1, read, folded, arguments, cancellationToken);
            }

            if (!read.Result.TryGetValue(out var version))
            {
                return default;
            }

            folded = Fold(folded, version);
        }

        for (var i = 0; i < _keysOf.Length; i++)
        {
            var read = _backend.GetAsync<long>(_keysOf[i](arguments), cancellationToken);
            if (!read.IsCompletedSuccessfully)
            {
                return ReadSlowlyAsync(i, read, folded, arguments, cancellationToken);
            }

            if (!read.Result.TryGetValue(out var version))
            {
                return default;
            }

            folded = Fold(folded, version);
        }

        return new(new CacheResult<long>(folded));
    }

    /// <inheritdoc />
    public override async ValueTask<long> ResolveAsync(ValueTask<CacheResult<long>> pendingRead, object?[] arguments, CancellationToken cancellationToken)
    {
        var read = await pendingRead.ConfigureAwait(false);
        if (read.TryGetValue(out var folded))
        {
            return folded;
        }

        // Some part is missing: each missing one is made under its key's lock, as a method version is.
        folded = 0L;
        if (_method is not null)
        {
            folded = Fold(folded, await _method.ResolveAsync(_method.ReadAsync(cancellationToken), cancellationToken).ConfigureAwait(false));
        }

        foreach (var keyOf in _keysOf)
        {
            var version = new MethodVersion(keyOf(arguments), _backend, _locks);
            folded = Fold(folded, await version.ResolveAsync(version.ReadAsync(cancellationToken), cancellationToken).ConfigureAwait(false));
        }

        return folded;
    }

    /// <inheritdoc />
    public override long Resolve(object?[] arguments, CancellationToken cancellationToken)
    {
        var folded = 0L;
        if (_method is not null)
        {
            folded = Fold(folded, _method.Resolve(cancellationToken));
        }

        foreach (var keyOf in _keysOf)
        {
            folded = Fold(folded, new MethodVersion(keyOf(arguments), _backend, _locks).Resolve(cancellationToken));
        }

        return folded;
    }

    /// <summary>Folds <paramref name="part"/> into <paramref name="accumulated"/> (SplitMix64's finalizer, then XOR).</summary>
    internal static long Fold(long accumulated, long part)
    {
        var z = unchecked((ulong)accumulated + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return unchecked((long)(z ^ (z >> 31)) ^ part);
    }

    private async ValueTask<CacheResult<long>> ReadSlowlyAsync(
        int index, ValueTask<CacheResult<long>> pending, long folded, object?[] arguments, CancellationToken cancellationToken)
    {
        // The remaining reads are issued together, so a remote backend costs one round trip, not one per tag.
        var rest = new Task<CacheResult<long>>[_keysOf.Length - index - 1];
        for (var i = 0; i < rest.Length; i++)
        {
            rest[i] = _backend.GetAsync<long>(_keysOf[index + 1 + i](arguments), cancellationToken).AsTask();
        }

        var complete = true;
        var first = await pending.ConfigureAwait(false);
        complete &= first.TryGetValue(out var version);
        folded = Fold(folded, version);
        foreach (var read in rest)
        {
            var result = await read.ConfigureAwait(false);
            complete &= result.TryGetValue(out version);
            folded = Fold(folded, version);
        }

        return complete ? new CacheResult<long>(folded) : default;
    }
}
