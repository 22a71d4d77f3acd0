using Cacheweave.Serialization;
using MessagePack;

namespace Cacheweave.Tests.Serialization;

/// <summary>What each value serializer accepts at registration: types that come back as they went in, and nothing else.</summary>
public sealed class ValueSerializerCheckTests
{
    public sealed record Line(string Sku, int Quantity);

    public sealed record Order(int Id, IReadOnlyList<Line> Lines, Dictionary<string, decimal> Totals, DateTime? Shipped);

    public sealed class BoundByConstructor(int id)
    {
        public int Id { get; private set; } = id;

        public string? Name { get; set; }
    }

    public sealed class PrivateSetter
    {
        public int Id { get; private set; }

        public string? Name { get; set; }
    }

    public sealed class GetOnlyAutoProperty
    {
        public int Id { get; } = 42;
    }

    public sealed class Computed
    {
        public int A { get; set; }

        public int B { get; set; }

        public int Sum => A + B;
    }

    public sealed class ReadOnlyField
    {
#pragma warning disable CA1051 // The read-only field is what the check must find.
        public readonly int Id = 42;
#pragma warning restore CA1051
    }

    public sealed class HasObject
    {
        public object? Payload { get; set; }
    }

    public interface IShape
    {
        double Area { get; }
    }

    public sealed class HasInterface
    {
        public IShape? Shape { get; set; }
    }

    public sealed class ListOfInterfaces
    {
        public List<IShape> Shapes { get; set; } = [];
    }

    [Union(0, typeof(Circle))]
    [Union(1, typeof(Square))]
    public abstract class UnionShape
    {
    }

    public sealed class Circle : UnionShape
    {
        public double Radius { get; set; }
    }

    public sealed class Square : UnionShape
    {
        public double Side { get; set; }
    }

    public sealed class HasUnion
    {
        public UnionShape? Shape { get; set; }
    }

    public sealed class Nested
    {
        public Dictionary<string, List<PrivateSetter>> Deep { get; set; } = [];
    }

    public static TheoryData<string> Serializers() => ["MessagePack", "SystemTextJson"];

    internal static ICacheValueSerializer Serializer(string name) => name == "MessagePack"
        ? MessagePackCacheValueSerializer.Instance
        : SystemTextJsonCacheValueSerializer.Instance;

    [Theory]
    [MemberData(nameof(Serializers))]
    public void Records_collections_primitives_and_computed_properties_round_trip(string serializer)
    {
        foreach (var type in new[]
        {
            typeof(int), typeof(string), typeof(int?), typeof(decimal), typeof(Guid), typeof(byte[]), typeof(DateTime), typeof(DayOfWeek),
            typeof(Order), typeof(List<Line>), typeof(Dictionary<string, Line[]>), typeof(BoundByConstructor), typeof(Computed),
        })
        {
            Assert.True(Serializer(serializer).CanRoundTrip(type, out var problem), $"{type}: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_private_setter_without_a_constructor_parameter_is_refused_naming_the_member(string serializer)
    {
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(PrivateSetter), out var problem));
        Assert.Contains("PrivateSetter.Id", problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_get_only_auto_property_or_read_only_field_without_a_constructor_parameter_is_refused(string serializer)
    {
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(GetOnlyAutoProperty), out var property));
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(ReadOnlyField), out var field));
        Assert.Contains("GetOnlyAutoProperty.Id", property, StringComparison.Ordinal);
        Assert.Contains("ReadOnlyField.Id", field, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_member_declared_as_object_or_an_interface_is_refused(string serializer)
    {
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(HasObject), out var asObject));
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(HasInterface), out var asInterface));
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(ListOfInterfaces), out var inList));
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(object), out _));
        Assert.Contains("HasObject.Payload", asObject, StringComparison.Ordinal);
        Assert.Contains("HasInterface.Shape", asInterface, StringComparison.Ordinal);
        Assert.Contains("ListOfInterfaces.Shapes", inList, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Serializers))]
    public void A_problem_deep_inside_nested_collections_is_found(string serializer)
    {
        Assert.False(Serializer(serializer).CanRoundTrip(typeof(Nested), out var problem));
        Assert.Contains("PrivateSetter.Id", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagePack_accepts_an_abstract_member_whose_subtypes_are_declared_with_Union()
    {
        Assert.True(MessagePackCacheValueSerializer.Instance.CanRoundTrip(typeof(HasUnion), out var problem), problem);
    }

    [Fact]
    public void System_Text_Json_refuses_an_abstract_member_even_with_Union_declarations()
    {
        Assert.False(SystemTextJsonCacheValueSerializer.Instance.CanRoundTrip(typeof(HasUnion), out var problem));
        Assert.Contains("HasUnion.Shape", problem, StringComparison.Ordinal);
    }
}
