using Xunit;

namespace Engine.Ode.Tests.Support;

/// <summary>Assertions on exceptions and their messages.</summary>
internal static class Expect
{
    /// <summary>Asserts that <paramref name="action"/> throws <typeparamref name="T"/> (or a subclass) whose message contains every fragment.</summary>
    public static T Throws<T>(Action action, params string[] fragments) where T : Exception
    {
        var exception = Assert.ThrowsAny<T>(action);
        foreach (var fragment in fragments)
            Assert.True(exception.Message.Contains(fragment, StringComparison.Ordinal),
                $"{exception.GetType().Name} message does not contain \"{fragment}\": {exception.Message}");
        return exception;
    }
}
