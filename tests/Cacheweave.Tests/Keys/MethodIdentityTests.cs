using Cacheweave.Keys;

namespace Cacheweave.Tests.Keys;

public sealed class MethodIdentityTests
{
    [Fact]
    public void Identity_names_the_interface_method_parameter_types_and_return_type()
    {
        var method = typeof(IKeyedService).GetMethod(nameof(IKeyedService.LookupAsync))!;

        Assert.Equal(
            "Cacheweave.Tests.Keys.IKeyedService.LookupAsync(System.Int32,System.String,Cacheweave.Tests.Keys.Address,System.Threading.CancellationToken)" +
            ":System.Threading.Tasks.Task`1<System.String>",
            MethodIdentity.Of(method));
    }

    [Fact]
    public void Identity_of_a_generic_method_names_its_type_arguments()
    {
        var method = typeof(IKeyedService).GetMethod(nameof(IKeyedService.GenericAsync))!.MakeGenericMethod(typeof(int));

        Assert.Equal(
            "Cacheweave.Tests.Keys.IKeyedService.GenericAsync<System.Int32>(System.Int32):System.Threading.Tasks.Task`1<System.Int32>",
            MethodIdentity.Of(method));
    }

    [Fact]
    public void Identity_of_a_generic_interface_carries_no_assembly_versions()
    {
        var method = typeof(IGenericRepository<Address>).GetMethod(nameof(IGenericRepository<Address>.GroupAsync))!.MakeGenericMethod(typeof(Guid));

        Assert.Equal(
            "Cacheweave.Tests.Keys.IGenericRepository`1<Cacheweave.Tests.Keys.Address>.GroupAsync<System.Guid>(System.Guid[],System.Nullable`1<System.Int32>)" +
            ":System.Threading.Tasks.Task`1<System.Collections.Generic.Dictionary`2<System.String,Cacheweave.Tests.Keys.Address[]>>",
            MethodIdentity.Of(method));
    }

    [Fact]
    public void Overloads_have_different_identities()
    {
        var overloads = typeof(IKeyedService).GetMethods().Where(m => m.Name == nameof(IKeyedService.OverloadAsync)).ToArray();

        Assert.Equal(2, overloads.Length);
        Assert.NotEqual(MethodIdentity.Of(overloads[0]), MethodIdentity.Of(overloads[1]));
    }

    [Fact]
    public void Open_generic_method_has_no_identity()
    {
        var open = typeof(IKeyedService).GetMethod(nameof(IKeyedService.GenericAsync))!;

        Assert.Throws<ArgumentException>(() => MethodIdentity.Of(open));
    }
}
