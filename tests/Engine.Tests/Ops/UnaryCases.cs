using Engine.Tests.Support;

namespace Engine.Tests.Ops;

/// <summary>One unary op: the engine call, its System.Math reference and the input range it is tested on.</summary>
internal sealed record UnaryCase(Func<Tensor, Tensor> Op, Func<double, double> Reference, double Lo = -4, double Hi = 4)
{
    private const double GeluC = 0.7978845608028654; // sqrt(2 / pi)

    public static readonly Dictionary<string, UnaryCase> All = new()
    {
        ["Neg"] = new(x => x.Neg(), x => -x),
        ["-x"] = new(x => -x, x => -x),
        ["Abs"] = new(x => x.Abs(), Math.Abs),
        ["Exp"] = new(x => x.Exp(), Math.Exp, -6, 6),
        ["Log"] = new(x => x.Log(), Math.Log, 0.01, 8),
        ["Sqrt"] = new(x => x.Sqrt(), Math.Sqrt, 0, 8),
        ["Rsqrt"] = new(x => x.Rsqrt(), x => 1 / Math.Sqrt(x), 0.01, 8),
        ["Square"] = new(x => x.Square(), x => x * x),
        ["Tanh"] = new(x => x.Tanh(), Math.Tanh),
        ["Sigmoid"] = new(x => x.Sigmoid(), x => 1 / (1 + Math.Exp(-x)), -8, 8),
        ["Relu"] = new(x => x.Relu(), x => Math.Max(x, 0)),
        ["LeakyRelu"] = new(x => x.LeakyRelu(), x => x > 0 ? x : 0.01 * x),
        ["LeakyRelu(0.25)"] = new(x => x.LeakyRelu(0.25), x => x > 0 ? x : 0.25 * x),
        ["Softplus"] = new(x => x.Softplus(), x => Math.Log(1 + Math.Exp(x)), -8, 8),
        ["Gelu"] = new(x => x.Gelu(), x => 0.5 * x * (1 + Math.Tanh(GeluC * (x + 0.044715 * x * x * x)))),
        ["Sin"] = new(x => x.Sin(), Math.Sin, -10, 10),
        ["Cos"] = new(x => x.Cos(), Math.Cos, -10, 10),
        ["Sign"] = new(x => x.Sign(), x => Math.Sign(x)),
        ["Clamp(-0.5, 1.5)"] = new(x => x.Clamp(-0.5, 1.5), x => Math.Clamp(x, -0.5, 1.5)),
    };
}
