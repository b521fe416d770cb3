using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Engine.Tests.Tensors;

/// <summary>Reshape as a property over random shapes.</summary>
public class ReshapePropertyTests
{
    /// <summary>Any reshape of any permutation of a tensor lists its elements in the permutation's row-major order.</summary>
    [Property(MaxTest = 200)]
    public Property ReshapeKeepsRowMajorOrder(PositiveInt a, PositiveInt b, PositiveInt c, bool permute)
    {
        int[] shape = [a.Get % 5 + 1, b.Get % 5 + 1, c.Get % 5 + 1];
        int n = shape[0] * shape[1] * shape[2];
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, n, dtype: DType.I32).Reshape(shape);
        var source = permute ? x.Permute(2, 0, 1) : x;
        var expected = source.ToArray<int>();
        var targets = new[] { new[] { n }, [shape[2], -1], [-1, shape[0], 1], [shape[1], shape[2], shape[0]] };
        return targets.All(target => source.Reshape(target).ToArray<int>().SequenceEqual(expected)).ToProperty();
    }
}
