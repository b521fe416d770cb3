using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Shape mismatches throw ArgumentException whose message names the op and the shapes involved.</summary>
public class ShapeErrorTests
{
    public static TheoryData<string> BinaryOps() => new("Add", "Sub", "Mul", "Div", "Pow", "Maximum", "Minimum", "Equal", "Less", "GreaterEqual");

    [Theory]
    [MemberData(nameof(BinaryOps))]
    public void BinaryOpsNameTheOpAndBothShapes(string op)
    {
        using var scope = TensorScope.Begin();
        var a = Tensor.Ones([2, 3]);
        var b = Tensor.Ones([4]);
        Func<Tensor> call = op switch
        {
            "Add" => () => a + b,
            "Sub" => () => a - b,
            "Mul" => () => a * b,
            "Div" => () => a / b,
            "Pow" => () => a.Pow(b),
            "Maximum" => () => a.Maximum(b),
            "Minimum" => () => a.Minimum(b),
            "Equal" => () => a.Eq(b),
            "Less" => () => a < b,
            _ => () => a >= b,
        };
        Expect.Throws<ArgumentException>(() => call(), op, "[2, 3]", "[4]");
    }

    [Fact]
    public void WhereNamesTheShapes()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Tensor.Where(Tensor.Ones([2, 3]), Tensor.Ones([3]), Tensor.Ones([5])), "Where", "[5]");
    }

    [Fact]
    public void MatMulInnerDimensionMismatch()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3]).MatMul(Tensor.Ones([4, 5])), "MatMul", "[2, 3]", "[4, 5]");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([3]).MatMul(Tensor.Ones([4])), "MatMul", "[1, 3]", "[4, 1]");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3, 4]).MatMul(Tensor.Ones([3, 4, 5])), "MatMul", "[2]", "[3]");
        Expect.Throws<ArgumentException>(() => Tensor.Scalar(2).MatMul(Tensor.Ones([2, 2])), "MatMul", "[]", "[2, 2]");
        Expect.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Ones([5, 3]), Tensor.Ones([4, 2])), "Linear", "[5, 3]", "[4, 2]");
        Expect.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Ones([5, 3]), Tensor.Ones([4, 3]), Tensor.Ones([3])), "Linear", "[3]");
    }

    [Fact]
    public void ConcatAndStackMismatch()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Ones([2, 3]), Tensor.Ones([2, 4])]), "Concat", "[2, 3]", "[2, 4]");
        Expect.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Ones([2, 3]), Tensor.Ones([3])], axis: 1), "Concat", "[2, 3]", "[3]");
        Expect.Throws<ArgumentException>(() => Tensor.Concat([]), "Concat");
        Expect.Throws<ArgumentException>(() => Tensor.Stack([Tensor.Ones([2, 3]), Tensor.Ones([3, 2])]), "Stack", "[2, 3]", "[3, 2]");
        Expect.Throws<ArgumentException>(() => Tensor.Stack([]), "Stack");
    }

    [Fact]
    public void ReshapeToTheWrongCount()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([2, 3]);
        Expect.Throws<ArgumentException>(() => x.Reshape(4), "Reshape", "[2, 3]", "[4]");
        Expect.Throws<ArgumentException>(() => x.Reshape(4, -1), "Reshape", "[4, -1]");
        Expect.Throws<ArgumentException>(() => x.Reshape(-1, -1), "Reshape", "[-1, -1]");
        Expect.Throws<ArgumentException>(() => x.Reshape(-2, -3), "Reshape");
        Expect.Throws<ArgumentException>(() => x.View(7), "View", "[2, 3]", "[7]");
        Expect.Throws<ArgumentException>(() => Tensor.From([1f, 2, 3], [2, 2]), "From", "[2, 2]");
    }

    [Fact]
    public void ViewAndSliceArguments()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([2, 3]);
        Expect.Throws<ArgumentException>(() => x.Expand(4, 3), "Expand", "[2, 3]", "[4, 3]");
        Expect.Throws<ArgumentException>(() => x.Expand(3), "Expand");
        Expect.Throws<ArgumentException>(() => x.Squeeze(1), "Squeeze", "[2, 3]");
        Expect.Throws<ArgumentException>(() => x.Permute(1, 1), "Permute");
        Expect.Throws<ArgumentException>(() => x.Permute(0), "Permute");
        Expect.Throws<ArgumentException>(() => x.Slice(1, 0, 3, 0), "Slice");
        Expect.Throws<ArgumentException>(() => x.Narrow(1, 2, 2), "Narrow");
        Expect.Throws<ArgumentException>(() => x.Split([1, 1], axis: 1), "Split", "[2, 3]");
        Expect.Throws<ArgumentException>(() => x.Split(0), "Split");
        Expect.Throws<ArgumentException>(() => x.Flatten(1, 0), "Flatten");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([3]).Transpose(), "Transpose", "[3]");
        Expect.Throws<ArgumentException>(() => x.CopyFrom(Tensor.Ones([4])), "CopyFrom", "[2, 3]", "[4]");
    }

    [Fact]
    public void LossesAndCombinations()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Functional.MseLoss(Tensor.Ones([2, 3]), Tensor.Ones([3, 2])), "MseLoss", "[2, 3]", "[3, 2]");
        Expect.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Ones([4, 3]), Tensor.Zeros([5], DType.I64)), "CrossEntropy", "[4, 3]", "[5]");
        Expect.Throws<ArgumentException>(() => Functional.CrossEntropy(Tensor.Ones([3]), Tensor.Zeros([3], DType.I64)), "CrossEntropy", "[3]");
        Expect.Throws<ArgumentException>(() => Tensor.LinearCombination(Tensor.Ones([2, 3]), [1.0], [Tensor.Ones([3, 2])]), "LinearCombination", "[3, 2]", "[2, 3]");
        Expect.Throws<ArgumentException>(() => Tensor.LinearCombination(Tensor.Ones([2, 3]), [1.0, 2.0], [Tensor.Ones([2, 3])]), "LinearCombination");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3]).IndexAdd(0, Tensor.From([0L]), Tensor.Ones([1, 4])), "IndexAdd", "[1, 4]", "[2, 3]");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3]).Gather(0, Tensor.From([0L])), "Gather", "[1]", "[2, 3]");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3]).ScatterAdd(0, Tensor.Zeros([1, 3], DType.I64), Tensor.Ones([2, 3])), "ScatterAdd");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3]).IndexSelect(0, Tensor.Zeros([1, 1], DType.I64)), "IndexSelect", "[1, 1]");
    }

    [Fact]
    public void OtherArguments()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Tensor.Ones([3]).Clamp(2, 1), "Clamp");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([3]).Norm(p: 0), "Norm");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([1]).Var(), "Var");
        Expect.Throws<ArgumentException>(() => Tensor.Zeros([0]).Max(), "Max", "[0]");
        Expect.Throws<ArgumentException>(() => Tensor.Zeros([2, 0]).ArgMax(1), "ArgMax", "[2, 0]");
        Expect.Throws<ArgumentException>(() => Tensor.Arange(0, 5, 0), "Arange");
        Expect.Throws<ArgumentException>(() => Tensor.Linspace(0, 1, -1), "Linspace");
        Expect.Throws<ArgumentException>(() => Tensor.Zeros([2, -1]), "[2, -1]");
        Expect.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.Zeros([2], DType.I64), 0), "OneHot");
        Expect.Throws<InvalidOperationException>(() => Tensor.Ones([2]).Item<float>(), "Item", "[2]");
    }
}
