using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>An axis outside [-rank, rank) throws ArgumentOutOfRangeException naming the op, the axis and the rank.</summary>
public class AxisErrorTests
{
    public static TheoryData<string> Ops() => new(
        "Sum", "Mean", "Max", "Var", "LogSumExp", "Norm", "ArgMax", "ArgMin", "Softmax", "LogSoftmax", "Transpose",
        "Permute", "Slice", "Narrow", "Squeeze", "Unsqueeze", "Flatten", "Concat", "Stack", "Split", "IndexSelect", "Gather", "Size");

    [Theory]
    [MemberData(nameof(Ops))]
    public void OutOfRangeAxisNamesTheOpAndTheAxis(string op)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([2, 3]);
        var index = Tensor.Zeros([2, 3], DType.I64);
        Action call = op switch
        {
            "Sum" => () => x.Sum(2),
            "Mean" => () => x.Mean(-3),
            "Max" => () => x.Max([0, 2]),
            "Var" => () => x.Var([2]),
            "LogSumExp" => () => x.LogSumExp([2]),
            "Norm" => () => x.Norm([2], p: 2),
            "ArgMax" => () => x.ArgMax(2),
            "ArgMin" => () => x.ArgMin(-3),
            "Softmax" => () => x.Softmax(2),
            "LogSoftmax" => () => x.LogSoftmax(-3),
            "Transpose" => () => x.Transpose(0, 2),
            "Permute" => () => x.Permute(0, 2),
            "Slice" => () => x.Slice(2, 0, 1),
            "Narrow" => () => x.Narrow(2, 0, 1),
            "Squeeze" => () => x.Squeeze(2),
            "Unsqueeze" => () => x.Unsqueeze(3),
            "Flatten" => () => x.Flatten(0, 2),
            "Concat" => () => Tensor.Concat([x, x], 2),
            "Stack" => () => Tensor.Stack([x, x], 3),
            "Split" => () => x.Split(1, 2),
            "IndexSelect" => () => x.IndexSelect(2, Tensor.Zeros([1], DType.I64)),
            "Gather" => () => x.Gather(2, index),
            _ => () => x.Size(2),
        };
        var exception = Expect.Throws<ArgumentOutOfRangeException>(call, op, "out of range");
        Assert.Contains("rank", exception.Message);
    }

    [Fact]
    public void RepeatedAxesAreRejected()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<ArgumentException>(() => Tensor.Ones([2, 3]).Sum([1, -1]), "Sum", "[1, -1]");
    }
}
