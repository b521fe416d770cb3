using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Autodiff;

/// <summary>Runs a gradient property over generated cases, each in its own <see cref="TensorScope"/>.</summary>
public static class GradProperty
{
    /// <summary>Cases per property: enough to meet every generator branch, few enough for the suite to stay fast.</summary>
    public const int Cases = 50;

    /// <summary>Checks <paramref name="body"/> on <see cref="Cases"/> cases from <paramref name="gen"/>; throws on the first failure.</summary>
    public static void ForAll<T>(Gen<T> gen, Action<T> body)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true);
        Check.One(config, Prop.ForAll(gen.ToArbitrary(), (T value) =>
        {
            using var scope = TensorScope.Begin();
            body(value);
        }));
    }
}
