using Engine.Ops;
using Engine.Tests.Autodiff;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Conv;

/// <summary>Finite-difference gradient properties of the convolutions, and of the ops their backward rules are made of.</summary>
public class ConvGradTests
{
    private static string Describe(int[] input, int[] weight, ConvParams p) =>
        $"input {InputSpec.Format(input)} weight {InputSpec.Format(weight)} {p}";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Conv2d_gradients_for_input_weight_and_bias(bool withBias)
    {
        var cases =
            from c in ConvGen.Conv2d
            from x in GradGen.Input(Domain.Normal, c.Input)
            from w in GradGen.Input(Domain.Normal, c.Weight)
            from b in GradGen.Input(Domain.Normal, [c.Weight[0]])
            select (c.Input, c.Weight, c.Params, x, w, b);
        GradProperty.ForAll(cases, c =>
        {
            var p = c.Params;
            Tensor[] inputs = withBias ? [c.x.Create(), c.w.Create(), c.b.Create()] : [c.x.Create(), c.w.Create()];
            GradCheck.Check($"Conv2d {Describe(c.Input, c.Weight, p)}",
                a => Functional.Conv2d(a[0], a[1], withBias ? a[2] : null, p.Stride, p.Padding, p.Dilation, p.Groups), inputs);
        });
    }

    private static int TransposedSize(int size, int kernel, int stride, int padding, int dilation, int outputPadding) =>
        (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1;

    [Fact]
    public void ConvTranspose2d_gradients_for_input_weight_and_bias()
    {
        var cases =
            from c in ConvGen.Conv2d
            let p = c.Params
            let outHeight = ConvReference.OutputSize(c.Input[2], c.Weight[2], p.Stride.Height, p.Padding.Height, p.Dilation.Height)
            let outWidth = ConvReference.OutputSize(c.Input[3], c.Weight[3], p.Stride.Width, p.Padding.Width, p.Dilation.Width)
            from outputPadding in ConvGen.Pair(0, 1)
            where outputPadding.Height < Math.Max(p.Stride.Height, p.Dilation.Height) && outputPadding.Width < Math.Max(p.Stride.Width, p.Dilation.Width)
            where TransposedSize(outHeight, c.Weight[2], p.Stride.Height, p.Padding.Height, p.Dilation.Height, outputPadding.Height) >= 1
               && TransposedSize(outWidth, c.Weight[3], p.Stride.Width, p.Padding.Width, p.Dilation.Width, outputPadding.Width) >= 1
            from x in GradGen.Input(Domain.Normal, [c.Input[0], c.Weight[0], outHeight, outWidth])
            from w in GradGen.Input(Domain.Normal, c.Weight)
            from b in GradGen.Input(Domain.Normal, [c.Input[1]])
            select (c.Input, c.Weight, p, outputPadding, x, w, b);
        GradProperty.ForAll(cases, c =>
        {
            var p = c.p;
            GradCheck.Check($"ConvTranspose2d {Describe(c.x.Shape, c.Weight, p)} output padding {c.outputPadding}",
                a => Functional.ConvTranspose2d(a[0], a[1], a[2], p.Stride, p.Padding, c.outputPadding, p.Dilation, p.Groups),
                c.x.Create(), c.w.Create(), c.b.Create());
        });
    }

    /// <summary>The weight-gradient op (bilinear in x and gy) has a backward rule of its own, so gradients of gradients exist.</summary>
    [Fact]
    public void Weight_gradient_op_gradients_for_input_and_output_gradient()
    {
        var cases =
            from c in ConvGen.Conv2d
            let geometry = Conv2dGeometry.ForConv("test", c.Input, c.Weight, c.Params.Stride, c.Params.Padding, c.Params.Dilation, c.Params.Groups)
            from x in GradGen.Input(Domain.Normal, c.Input)
            from gy in GradGen.Input(Domain.Normal, geometry.OutputShape)
            select (c.Input, c.Weight, c.Params, geometry, x, gy);
        GradProperty.ForAll(cases, c =>
            GradCheck.Check($"Conv2dWeightGradient {Describe(c.Input, c.Weight, c.Params)}",
                a => Convolution.WeightGradient(a[0], a[1], c.geometry), c.x.Create(), c.gy.Create()));
    }
}
