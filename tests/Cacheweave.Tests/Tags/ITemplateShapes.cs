namespace Cacheweave.Tests.Tags;

/// <summary>Methods whose parameters the template tests fill holes from (never called).</summary>
public interface ITemplateShapes
{
    string Numbers(int id, double ratio, decimal price, long? missing);

    string Dates(DateTime at, DateTimeOffset offset, DateOnly day, TimeOnly time);

    string Others(Guid id, DayOfWeek day, bool flag, string? name, TimeSpan span);

    string Filtered(OrderFilter? filter, int? tenantId);
}
