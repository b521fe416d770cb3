using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// NaN inputs give NaN outputs, the same on the SIMD path (contiguous rows) and on the strided scalar path, as
/// the scalar definitions in ScalarMath and the SIMD kernels must agree.
/// </summary>
public class NanPropagationTests
{
    public static TheoryData<string> Ops() => new(UnaryCase.All.Keys);

    [Theory]
    [MemberData(nameof(Ops))]
    public void UnaryOpsPropagateNaNOnEveryPath(string name)
    {
        using var scope = TensorScope.Begin();
        var op = UnaryCase.All[name];
        var data = Enumerable.Range(0, 36).Select(i => i % 5 == 0 ? float.NaN : (float)(op.Lo + (op.Hi - op.Lo) * i / 36.0)).ToArray();
        var contiguous = Tensor.From(data, [4, 9]);
        var transposed = contiguous.Transpose().Contiguous().Transpose();
        var strided = Tensor.Stack([contiguous, contiguous], -1).Narrow(2, 0, 1).Squeeze(2);
        var expected = op.Op(contiguous).ToArray<double>();
        for (int i = 0; i < data.Length; i++)
            Assert.True(float.IsNaN(data[i]) == double.IsNaN(expected[i]), $"{name}({data[i]}) = {expected[i]}");
        var reference = Ref.Of([4, 9], expected);
        Check.Close(reference, op.Op(transposed), Tol.Elementwise(DType.F32), $"{name} transposed");
        Check.Close(reference, op.Op(strided), Tol.Elementwise(DType.F32), $"{name} strided");
    }
}
