namespace Cacheweave.Interception;

/// <summary>
/// Drops cached entries after an interface method of a proxied service completes successfully: every entry carrying one
/// of <see cref="Tags"/> (formatted from this call's arguments), and/or the entry of the <c>[Cached]</c> method
/// <see cref="Method"/> called with the same arguments. Spring's <c>@CacheEvict</c>, driven by tags and applied on every
/// process that shares the backend.
/// </summary>
/// <remarks>
/// <para>
/// The entries are dropped after the method returns (for <see cref="Task"/>, <see cref="ValueTask"/>,
/// <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c>: after the returned task completes successfully), before the
/// caller sees the result; when the method throws or its task faults or is cancelled, nothing is dropped. A failure to
/// drop surfaces to the caller; a removal the shared tier could not take is kept pending and replayed (see
/// <see cref="ICacheInvalidator.InvalidateTagAsync"/>).
/// </para>
/// <para>
/// The method itself is not cached: marking it <see cref="CachedAttribute"/> too, returning
/// <c>IAsyncEnumerable&lt;T&gt;</c>, being generic, naming no tag and no method, a tag template that cannot be filled from
/// the method's parameters, or a <see cref="Method"/> whose key parameters are not all matched by name, fail when the
/// proxy is registered.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// [InvalidatesCache(Tags = new[] { "user:{user.Id}" })]
/// Task SaveUserAsync(User user);
///
/// [InvalidatesCache(Method = nameof(GetUserAsync))]
/// Task RenameAsync(int userId, string name);   // drops GetUserAsync(userId)
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class InvalidatesCacheAttribute : Attribute
{
    /// <summary>
    /// Tag templates over this method's parameters, with the syntax of <see cref="CachedAttribute.Tags"/>; every entry
    /// carrying one of the formatted tags is dropped, on every backend a tagged method uses.
    /// </summary>
    public string[]? Tags { get; set; }

    /// <summary>
    /// The name of a <c>[Cached]</c> method of the same service whose entry for the same arguments is dropped. Its
    /// parameters are matched to this method's by name (every parameter that enters its key, and every one its tags
    /// read, must have a same-named parameter of an assignable type here); when several overloads match, registration fails.
    /// </summary>
    public string? Method { get; set; }
}
