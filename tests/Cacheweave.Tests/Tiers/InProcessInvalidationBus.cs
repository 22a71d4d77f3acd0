using Cacheweave.Tiers;

namespace Cacheweave.Tests.Tiers;

/// <summary>
/// Connects several <see cref="ICacheInvalidationChannel"/> endpoints in one process, standing in for a backplane:
/// a message published on one endpoint reaches the handlers of every other endpoint — synchronously, or, with
/// <see cref="Asynchronous"/>, a moment later on the thread pool as a real backplane would deliver it.
/// </summary>
public sealed class InProcessInvalidationBus
{
    private readonly List<Endpoint> _endpoints = [];
    private readonly List<Task> _deliveries = [];

    /// <summary>When true, messages are delivered on the thread pool after the publisher has moved on.</summary>
    public bool Asynchronous { get; set; }

    /// <summary>Waits until every message published so far has been delivered.</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            Task[] pending;
            lock (_deliveries)
            {
                pending = [.. _deliveries];
                _deliveries.Clear();
            }

            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending);
        }
    }

    /// <summary>While true, published messages are lost, as they are while a real backplane is disconnected.</summary>
    public bool Drops { get; set; }

    public ICacheInvalidationChannel CreateEndpoint()
    {
        var endpoint = new Endpoint(this);
        lock (_endpoints)
        {
            _endpoints.Add(endpoint);
        }

        return endpoint;
    }

    private async ValueTask PublishAsync(Endpoint sender, CacheInvalidation invalidation)
    {
        if (Drops)
        {
            return;
        }

        Endpoint[] others;
        lock (_endpoints)
        {
            others = _endpoints.Where(e => e != sender).ToArray();
        }

        if (Asynchronous)
        {
            var delivery = Task.Run(async () =>
            {
                foreach (var endpoint in others)
                {
                    await endpoint.DeliverAsync(invalidation);
                }
            });
            lock (_deliveries)
            {
                _deliveries.Add(delivery);
            }

            return;
        }

        foreach (var endpoint in others)
        {
            await endpoint.DeliverAsync(invalidation);
        }
    }

    /// <summary>One process's view of the bus.</summary>
    public sealed class Endpoint(InProcessInvalidationBus bus) : IListeningInvalidationChannel
    {
        private readonly List<Func<CacheInvalidation, ValueTask>> _handlers = [];
        private volatile bool _isListening = true;

        /// <summary>False stands for a subscription lost and not yet confirmed again.</summary>
        public bool IsListening
        {
            get => _isListening;
            set => _isListening = value;
        }

        public int Published { get; private set; }

        public ValueTask PublishAsync(CacheInvalidation invalidation, CancellationToken cancellationToken = default)
        {
            Published++;
            return bus.PublishAsync(this, invalidation);
        }

        public IDisposable Subscribe(Func<CacheInvalidation, ValueTask> handler)
        {
            lock (_handlers)
            {
                _handlers.Add(handler);
            }

            return new Unsubscriber(() =>
            {
                lock (_handlers)
                {
                    _handlers.Remove(handler);
                }
            });
        }

        /// <summary>Delivers a message to this endpoint's handlers, as a reconnect reset would.</summary>
        public async ValueTask DeliverAsync(CacheInvalidation invalidation)
        {
            Func<CacheInvalidation, ValueTask>[] handlers;
            lock (_handlers)
            {
                handlers = [.. _handlers];
            }

            foreach (var handler in handlers)
            {
                await handler(invalidation);
            }
        }
    }

    private sealed class Unsubscriber(Action unsubscribe) : IDisposable
    {
        public void Dispose() => unsubscribe();
    }
}
