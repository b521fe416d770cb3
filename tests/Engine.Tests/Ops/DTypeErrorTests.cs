using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>Mixed dtypes and integer tensors given to floating-only ops throw ArgumentException naming the op and the dtypes.</summary>
public class DTypeErrorTests
{
    [Fact]
    public void MixedDTypesAreRejected()
    {
        using var scope = TensorScope.Begin();
        var f32 = Tensor.Ones([2, 3]);
        var f64 = Tensor.Ones([2, 3], DType.F64);
        Expect.Throws<ArgumentException>(() => f32.Add(f64), "Add", "F32", "F64", "[2, 3]");
        Expect.Throws<ArgumentException>(() => _ = f64 * f32, "Mul", "F64", "F32");
        Expect.Throws<ArgumentException>(() => f32.MatMul(f64.Transpose()), "MatMul", "F32", "F64");
        Expect.Throws<ArgumentException>(() => Tensor.Where(f32, f32, f64), "Where", "F32", "F64");
        Expect.Throws<ArgumentException>(() => Tensor.Concat([f32, f64]), "Concat", "F32", "F64");
        Expect.Throws<ArgumentException>(() => Tensor.LinearCombination(f32, [1.0], [f64]), "LinearCombination", "F64");
        Expect.Throws<ArgumentException>(() => f32.ScatterAdd(0, Tensor.Zeros([2, 3], DType.I64), f64), "ScatterAdd", "F64");
        Expect.Throws<ArgumentException>(() => Tensor.Ones([3], DType.I32).Add(Tensor.Ones([3], DType.I64)), "Add", "I32", "I64");
    }

    public static TheoryData<string, DType> FloatingOnly()
    {
        var data = new TheoryData<string, DType>();
        foreach (var op in new[] { "Exp", "Log", "Sqrt", "Tanh", "Sigmoid", "Gelu", "Sin", "Pow", "Mean", "Var", "LogSumExp", "Norm", "Softmax", "MatMul", "LinearCombination" })
        {
            data.Add(op, DType.I32);
            data.Add(op, DType.I64);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FloatingOnly))]
    public void IntegerTensorsAreRejectedByFloatingOps(string op, DType dtype)
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([2, 2], dtype);
        Action call = op switch
        {
            "Exp" => () => x.Exp(),
            "Log" => () => x.Log(),
            "Sqrt" => () => x.Sqrt(),
            "Tanh" => () => x.Tanh(),
            "Sigmoid" => () => x.Sigmoid(),
            "Gelu" => () => x.Gelu(),
            "Sin" => () => x.Sin(),
            "Pow" => () => x.Pow(x),
            "Mean" => () => x.Mean(),
            "Var" => () => x.Var(),
            "LogSumExp" => () => x.LogSumExp(),
            "Norm" => () => x.Norm(),
            "Softmax" => () => x.Softmax(),
            "MatMul" => () => x.MatMul(x),
            _ => () => Tensor.LinearCombination(x, [], []),
        };
        Expect.Throws<ArgumentException>(call, op, dtype.ToString(), "F32 or F64");
    }

    [Fact]
    public void FloatingIndicesAreRejected()
    {
        using var scope = TensorScope.Begin();
        var x = Tensor.Ones([3, 3]);
        Expect.Throws<ArgumentException>(() => x.IndexSelect(0, Tensor.Zeros([2])), "IndexSelect", "I32 or I64", "F32");
        Expect.Throws<ArgumentException>(() => x.Gather(0, Tensor.Zeros([3, 3])), "Gather", "F32");
        Expect.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.Zeros([3]), 3), "OneHot", "F32");
        Expect.Throws<ArgumentException>(() => Functional.CrossEntropy(x, Tensor.Zeros([3])), "CrossEntropy", "F32");
    }

    [Fact]
    public void RandomTensorsMustBeFloating()
    {
        Expect.Throws<ArgumentException>(() => Tensor.Rand([2], DType.I32), "Uniform", "I32");
        Expect.Throws<ArgumentException>(() => Tensor.Randn([2], DType.I64), "Normal", "I64");
    }

    [Fact]
    public void OnlyFloatingTensorsRequireGradients()
    {
        using var scope = TensorScope.Begin();
        Expect.Throws<InvalidOperationException>(() => Tensor.Ones([2], DType.I32).RequiresGrad = true, "RequiresGrad", "I32");
    }
}
