using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cacheweave.Redis.Tests.Infrastructure;

/// <summary>
/// Sends one administrative command (DEBUG SLEEP, CLIENT PAUSE, CONFIG SET …) to a redis-server over a raw socket of
/// its own, so that a fault can be injected without going through the client library under test.
/// </summary>
public static class RedisAdmin
{
    /// <summary>Sends <paramref name="command"/> and returns the reply's first line (a bulk reply's payload), e.g. <c>+OK</c> or <c>-OOM …</c>.</summary>
    public static async Task<string> SendAsync(int port, params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
        var stream = client.GetStream();
        var request = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
        foreach (var argument in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString())).ConfigureAwait(false);
        var reply = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(buffer).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"redis-server on port {port} closed the connection before answering {command[0]}.");
            }

            reply.Write(buffer, 0, read);
            var text = Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
            var endOfLine = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (endOfLine < 0)
            {
                continue;
            }

            if (text[0] != '$')
            {
                return text[..endOfLine];
            }

            var length = int.Parse(text.AsSpan(1, endOfLine - 1), CultureInfo.InvariantCulture);
            if (length < 0)
            {
                return string.Empty;
            }

            if (text.Length >= endOfLine + 2 + length)
            {
                return text.Substring(endOfLine + 2, length);
            }
        }
    }
}
