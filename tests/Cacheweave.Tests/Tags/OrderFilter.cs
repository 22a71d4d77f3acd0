namespace Cacheweave.Tests.Tags;

public sealed record OrderFilter(int TenantId, string? Region, DateTime Since);
