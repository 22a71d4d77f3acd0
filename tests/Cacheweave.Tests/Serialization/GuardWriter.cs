using System.Buffers;
using Cacheweave.Serialization;
using MessagePack;
using MessagePack.Resolvers;

namespace Cacheweave.Tests.Serialization;

/// <summary>Writes values through guarded options the way the key builder does: a formatter called directly.</summary>
internal static class GuardWriter
{
    public static readonly MessagePackSerializerOptions Plain = ContractlessStandardResolver.Options;

    public static readonly MessagePackSerializerOptions Key = SerializationGuard.CreateOptions(Plain, GuardMode.Key);

    public static readonly MessagePackSerializerOptions Value = SerializationGuard.CreateOptions(Plain, GuardMode.Value);

    public static byte[] Write<T>(T value, MessagePackSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        options.Resolver.GetFormatterWithVerify<T>().Serialize(ref writer, value, options);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Runs <paramref name="action"/> on a thread with a 1 MB stack (a thread-pool thread has 1.5 MB) and returns what it threw.</summary>
    public static Exception? ThrownOnSmallStack(Action action)
    {
        Exception? thrown = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    action();
                }
                catch (Exception e)
                {
                    thrown = e;
                }
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();
        return thrown;
    }
}
