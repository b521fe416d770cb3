using FsCheck.Fluent;
using Xunit;

namespace Engine.Tests.Autodiff;

public class SoftmaxLossGradTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Softmax_along_a_random_axis(bool log)
    {
        var cases =
            from shape in GradGen.Shape(1, 4)
            from axis in GradGen.Axis(shape.Length)
            from domain in Gen.Elements(Domain.Normal, Domain.Wide)
            from x in GradGen.Input(domain, shape)
            select (x, axis);
        GradProperty.ForAll(cases, c =>
            GradCheck.Check($"{(log ? "LogSoftmax" : "Softmax")}(axis {c.axis})", a => log ? a[0].LogSoftmax(c.axis) : a[0].Softmax(c.axis), c.x.Create()));
    }

    [Fact]
    public void CrossEntropy_of_logits_against_I64_labels()
    {
        var cases =
            from n in Gen.Choose(1, 4)
            from classes in Gen.Choose(1, 5)
            from labels in GradGen.Indices(n, classes)
            from logits in GradGen.Input(Domain.Normal, [n, classes])
            select (logits, labels);
        GradProperty.ForAll(cases, c =>
        {
            var labels = Tensor.From(c.labels);
            GradCheck.Check("CrossEntropy", a => Functional.CrossEntropy(a[0], labels), c.logits.Create());
        });
    }

    [Fact]
    public void MseLoss_with_respect_to_prediction_and_target()
    {
        var cases =
            from shape in GradGen.Shape()
            from prediction in GradGen.Input(Domain.Normal, shape)
            from target in GradGen.Input(Domain.Normal, shape)
            select (prediction, target);
        GradProperty.ForAll(cases, c => GradCheck.Check("MseLoss", a => Functional.MseLoss(a[0], a[1]), c.prediction.Create(), c.target.Create()));
    }
}
