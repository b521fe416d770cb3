namespace Engine.Ops;

/// <summary>Elementwise functions of one tensor.</summary>
internal enum UnaryOp
{
    Neg, Abs, Exp, Log, Sqrt, Rsqrt, Square, Tanh, Sigmoid, Relu, LeakyRelu, Softplus, Gelu, Sin, Cos, Sign,
    /// <summary>clamp(x, alpha, beta).</summary>
    Clamp,
}

/// <summary>Elementwise functions of two broadcast tensors. Comparisons write 1 or 0 in the inputs' dtype.</summary>
internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum,
    Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
}

/// <summary>Reductions that fold a set of axes into one value each.</summary>
internal enum ReduceOp { Sum, Max, Min }

/// <summary>Reductions that return the index of the extreme value along one axis.</summary>
internal enum ArgReduceOp { ArgMax, ArgMin }

/// <summary>Distributions the counter-based generator can draw.</summary>
internal enum RandomDistribution { Uniform, Normal }

/// <summary>Which ops are comparisons and which accept integer dtypes.</summary>
internal static class OpTraits
{
    public static bool IsComparison(this BinaryOp op) => op >= BinaryOp.Equal;

    /// <summary>Ops that are defined for integer dtypes too.</summary>
    public static bool AcceptsIntegers(this UnaryOp op) => op is UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Square or UnaryOp.Sign or UnaryOp.Relu or UnaryOp.Clamp;

    public static bool AcceptsIntegers(this BinaryOp op) => op != BinaryOp.Pow;

    /// <summary>Ops whose gradient is written in terms of their output, which they save instead of the input.</summary>
    public static bool SavesOutput(this UnaryOp op) => op is UnaryOp.Exp or UnaryOp.Sqrt or UnaryOp.Rsqrt or UnaryOp.Tanh or UnaryOp.Sigmoid;

    private static readonly string[] UnaryNames = Enum.GetNames<UnaryOp>();
    private static readonly string[] BinaryNames = Enum.GetNames<BinaryOp>();
    private static readonly string[] BinaryScalarNames = [.. BinaryNames.Select(n => n + "Scalar")];

    /// <summary>The op's name for messages and nodes, without formatting an enum on every call.</summary>
    public static string Name(this UnaryOp op) => UnaryNames[(int)op];

    public static string Name(this BinaryOp op) => BinaryNames[(int)op];

    public static string ScalarName(this BinaryOp op) => BinaryScalarNames[(int)op];
}
