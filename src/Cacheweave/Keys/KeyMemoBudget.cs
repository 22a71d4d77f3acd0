namespace Cacheweave.Keys;

/// <summary>
/// The memory the key memos of a process may keep, shared by every method's <see cref="KeyStringCache"/>: a byte
/// budget across all of them and the size of one method's generation.
/// </summary>
/// <remarks>
/// <para>
/// Each memo charges the estimated size of every entry it adds (<see cref="EntrySize"/>). Whenever half the budget
/// has been added since the last rotation, every memo rotates: its previous generation is dropped and its current one
/// becomes previous. So the current generations together hold at most half the budget, the previous ones at most the
/// other half, and a rotation only ever forgets entries that were not used since the one before: hot entries are
/// promoted back into the current generation on their next use. A rotation also recounts what live memos hold, so
/// the memos of disposed containers stop counting once they are collected.
/// </para>
/// <para>
/// Set process-wide before the first cached call, as runtime configuration (<c>runtimeconfig.json</c> or
/// <c>&lt;RuntimeHostConfigurationOption&gt;</c> in the project), or with <see cref="AppContext.SetData"/>:
/// <c>Cacheweave.KeyMemo.MaxBytes</c> (default 128 MiB; 0 turns the memo off: every call hashes) and
/// <c>Cacheweave.KeyMemo.GenerationEntries</c> (default 131,072 argument sets per method and generation).
/// </para>
/// </remarks>
internal sealed class KeyMemoBudget
{
    /// <summary>The default budget across all methods: 128 MiB.</summary>
    public const long DefaultMaxBytes = 128L * 1024 * 1024;

    /// <summary>The default number of argument sets one method's generation holds before it rotates.</summary>
    public const int DefaultGenerationEntries = 131_072;

    /// <summary>The runtime configuration name of <see cref="MaxBytes"/>.</summary>
    public const string MaxBytesSetting = "Cacheweave.KeyMemo.MaxBytes";

    /// <summary>The runtime configuration name of <see cref="GenerationEntries"/>.</summary>
    public const string GenerationEntriesSetting = "Cacheweave.KeyMemo.GenerationEntries";

    private readonly Lock _lock = new();
    private readonly List<WeakReference<KeyStringCache>> _memos = [];
    private int _pruneAt = 64;
    private long _charged;
    private long _sinceRotation;

    /// <summary>Creates a budget of <paramref name="maxBytes"/> with generations of <paramref name="generationEntries"/> entries.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is negative.</exception>
    public KeyMemoBudget(long maxBytes, int generationEntries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(generationEntries);
        MaxBytes = maxBytes;
        GenerationEntries = generationEntries;
    }

    /// <summary>The budget every <see cref="CacheKeyBuilder"/> uses, read once from the runtime configuration.</summary>
    public static KeyMemoBudget Shared { get; } = new(
        Setting(MaxBytesSetting, DefaultMaxBytes),
        (int)Math.Min(int.MaxValue, Setting(GenerationEntriesSetting, DefaultGenerationEntries)));

    /// <summary>The most bytes all memos together keep (estimated), give or take one entry per concurrently adding thread.</summary>
    public long MaxBytes { get; }

    /// <summary>How many entries one memo's current generation takes before it becomes the previous one.</summary>
    public int GenerationEntries { get; }

    /// <summary>Whether memos remember anything at all.</summary>
    public bool Enabled => MaxBytes > 0 && GenerationEntries > 0;

    /// <summary>The bytes charged now (an estimate; exact when no memo is being written).</summary>
    public long Charged => Interlocked.Read(ref _charged);

    /// <summary>
    /// The estimated bytes one remembered argument set keeps alive: the dictionary node and its bucket slot, the copy
    /// of the argument bytes, the <see cref="KeyHandle"/>, the key string (counted although the backend usually holds
    /// the same instance), and a plain entry's 56 bytes: the handle keeps the entry it last found, which once evicted
    /// only the handle holds (unlinked, its value released) until the key is looked up again.
    /// </summary>
    public static long EntrySize(int inputLength, int keyLength) =>
        48 + 8 + RoundUp(24 + inputLength) + 32 + 56 + RoundUp(22 + (2 * keyLength));

    /// <summary>Lets <paramref name="memo"/> be rotated when the budget runs out.</summary>
    public void Register(KeyStringCache memo)
    {
        lock (_lock)
        {
            if (_memos.Count >= _pruneAt)
            {
                _memos.RemoveAll(static m => !m.TryGetTarget(out _));
                _pruneAt = Math.Max(64, _memos.Count * 2);
            }

            _memos.Add(new WeakReference<KeyStringCache>(memo));
        }
    }

    /// <summary>Charges an added entry; rotates the memos when half the budget was added since the last rotation.</summary>
    public void Charge(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        var charged = Interlocked.Add(ref _charged, bytes);
        if (Interlocked.Add(ref _sinceRotation, bytes) >= MaxBytes / 2 || charged > MaxBytes)
        {
            Rotate();
        }
    }

    /// <summary>Releases what a dropped generation was charged.</summary>
    public void Release(long bytes)
    {
        if (bytes != 0)
        {
            Interlocked.Add(ref _charged, -bytes);
        }
    }

    private void Rotate()
    {
        lock (_lock)
        {
            // Another thread may have rotated while this one waited.
            if (Interlocked.Read(ref _sinceRotation) < MaxBytes / 2 && Interlocked.Read(ref _charged) <= MaxBytes)
            {
                return;
            }

            // What live memos hold: memos of disposed containers were collected and are left out. Entries being added
            // meanwhile may be missed by the recount; the error is one entry per adding thread and is not carried over.
            _memos.RemoveAll(static m => !m.TryGetTarget(out _));
            var live = 0L;
            foreach (var reference in _memos)
            {
                if (reference.TryGetTarget(out var memo))
                {
                    live += memo.Bytes;
                }
            }

            Interlocked.Exchange(ref _charged, live);
            Interlocked.Exchange(ref _sinceRotation, 0);
            foreach (var reference in _memos)
            {
                if (reference.TryGetTarget(out var memo))
                {
                    memo.Rotate();
                }
            }
        }
    }

    private static long RoundUp(long bytes) => (bytes + 7) & ~7L;

    private static long Setting(string name, long fallback) => AppContext.GetData(name) switch
    {
        null => fallback,
        long value when value >= 0 => value,
        int value when value >= 0 => value,
        string text when long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) => value,
        var other => throw new InvalidOperationException($"The runtime setting {name} must be a whole number of at least 0; it is '{other}'."),
    };
}
