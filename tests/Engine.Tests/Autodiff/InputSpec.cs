namespace Engine.Tests.Autodiff;

/// <summary>A recipe for one F64 input: its shape, the seed and domain of its values, and its layout.</summary>
public sealed record InputSpec(int[] Shape, ulong Seed, Domain Domain, Layout Layout)
{
    /// <summary>Builds the tensor in the current scope.</summary>
    public Tensor Create() => Layouts.WithLayout(Tensor.From(Domain.Values(Shape, Seed), Shape), Layout);

    public override string ToString() => $"{Format(Shape)} {Domain} seed {Seed} {Layout}";

    public static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
