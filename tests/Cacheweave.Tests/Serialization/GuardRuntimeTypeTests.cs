using System.Buffers;
using Cacheweave.Serialization;
using Cacheweave.Tests.Keys;
using MessagePack;

namespace Cacheweave.Tests.Serialization;

public sealed class GuardRuntimeTypeTests
{
    [Fact]
    public void A_value_of_the_declared_type_is_written_exactly_as_before()
    {
        var animal = new Animal("Rex");

        Assert.Equal(MessagePackSerializer.Serialize(animal, GuardWriter.Plain), GuardWriter.Write(animal, GuardWriter.Key));
        Assert.Equal(MessagePackSerializer.Serialize(animal, GuardWriter.Plain), GuardWriter.Write(animal, GuardWriter.Value));
    }

    [Fact]
    public void A_subtype_in_key_mode_is_an_extension_with_the_runtime_type_name_and_its_own_data()
    {
        Animal dog = new Dog("Rex", "Husky");

        var bytes = GuardWriter.Write(dog, GuardWriter.Key);

        var reader = new MessagePackReader(bytes);
        var header = reader.ReadExtensionFormatHeader();
        Assert.Equal(SerializationGuard.RuntimeTypeExtension, header.TypeCode);
        var body = new MessagePackReader(reader.ReadRaw(header.Length));
        Assert.Equal("Cacheweave.Tests.Keys.Dog", body.ReadString());
        var rest = body.Sequence.Slice(body.Position).ToArray();
        Assert.Equal(MessagePackSerializer.Serialize(new Dog("Rex", "Husky"), GuardWriter.Plain), rest);
    }

    [Fact]
    public void A_subtype_in_value_mode_is_rejected_naming_both_types()
    {
        Animal dog = new Dog("Rex", "Husky");

        var error = Assert.Throws<CacheValueRejectedException>(() => GuardWriter.Write(dog, GuardWriter.Value));

        Assert.Equal(CacheValueRejectionReason.RuntimeTypeMismatch, error.Reason);
        Assert.Contains("Cacheweave.Tests.Keys.Animal", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cacheweave.Tests.Keys.Dog", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subtype_nested_anywhere_is_rejected_in_value_mode()
    {
        var dog = new Dog("Rex", "Husky");

        Assert.Throws<CacheValueRejectedException>(() => GuardWriter.Write(new Owner("Ada", dog), GuardWriter.Value));
        Assert.Throws<CacheValueRejectedException>(() => GuardWriter.Write(new List<Animal> { new("a"), dog }, GuardWriter.Value));
        Assert.Throws<CacheValueRejectedException>(() => GuardWriter.Write(new Dictionary<string, Animal> { ["rex"] = dog }, GuardWriter.Value));
        Assert.Throws<CacheValueRejectedException>(() => GuardWriter.Write(new Envelope(42), GuardWriter.Value));
    }

    [Fact]
    public void Values_of_exactly_their_declared_types_pass_value_mode_and_read_back()
    {
        var owner = new Owner("Ada", new Animal("Rex"));

        var bytes = GuardWriter.Write(owner, GuardWriter.Value);

        Assert.Equal(owner, MessagePackSerializer.Deserialize<Owner>(bytes, GuardWriter.Value));
    }

    [Fact]
    public void A_collection_behind_a_collection_interface_is_written_as_its_content()
    {
        IReadOnlyList<int> list = new List<int> { 1, 2 };
        IReadOnlyList<int> array = new[] { 1, 2 };

        Assert.Equal(GuardWriter.Write(list, GuardWriter.Key), GuardWriter.Write(array, GuardWriter.Key));
        Assert.Equal(MessagePackSerializer.Serialize(list, GuardWriter.Plain), GuardWriter.Write(list, GuardWriter.Value));
    }

    [Fact]
    public void Boxed_values_in_an_object_member_are_tagged_with_their_type()
    {
        var asInt = GuardWriter.Write(new Envelope(1), GuardWriter.Key);
        var asEnum = GuardWriter.Write(new Envelope(SomeEnum.First), GuardWriter.Key);
        var asLong = GuardWriter.Write(new Envelope(1L), GuardWriter.Key);

        Assert.NotEqual(asInt, asEnum);
        Assert.NotEqual(asInt, asLong);
        Assert.NotEqual(asEnum, asLong);
    }

    [Fact]
    public void A_runtime_type_without_a_formatter_fails_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GuardWriter.Write(new Envelope(new Func<int>(() => 1)), GuardWriter.Key));

        Assert.Contains("System.Func`1<System.Int32>", error.Message, StringComparison.Ordinal);
    }
}
