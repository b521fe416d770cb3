using Engine.Backends.Cuda.Driver;

namespace Engine.Backends.Cuda;

internal sealed partial class CudaBackend
{
    public void CrossEntropy(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView loss, BufferView rowWeight, BufferView logSumExp)
    {
        var arguments = CrossEntropyArguments(logits, labels, weight, ignoreIndex, smoothing);
        if (logits.Shape[0] == 0) return;
        arguments.Add(Address(loss));
        arguments.Add(Address(rowWeight));
        arguments.Add(Address(logSumExp));
        arguments.Add(ErrorRecord());
        Launch(KernelNames.Loss, $"cross_entropy_{KernelNames.Suffix(logits.DType)}", launch.Rows(logits.Shape[0], logits.Shape[1]), arguments);
    }

    public void CrossEntropyGradient(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing,
        BufferView logSumExp, BufferView gradLoss, BufferView gradLogits)
    {
        var arguments = CrossEntropyArguments(logits, labels, weight, ignoreIndex, smoothing);
        if (logits.Shape[0] == 0) return;
        arguments.Add(Address(logSumExp));
        arguments.Add(Address(gradLoss));
        arguments.Add(Address(gradLogits));
        Launch(KernelNames.Loss, $"cross_entropy_grad_{KernelNames.Suffix(logits.DType)}", launch.Rows(logits.Shape[0], logits.Shape[1]), arguments);
    }

    /// <summary>The parameters both kernels start with: rows, classes, logits, labels, weights, ignored label, smoothing.</summary>
    private KernelArguments CrossEntropyArguments(BufferView logits, BufferView labels, BufferView? weight, long ignoreIndex, double smoothing)
    {
        if (!logits.IsContiguous) throw new ArgumentException($"CrossEntropy: the logits on {Device} must be contiguous");
        var arguments = new KernelArguments();
        arguments.Add((long)logits.Shape[0]);
        arguments.Add((long)logits.Shape[1]);
        arguments.Add(Address(logits));
        AddIndex(ref arguments, labels);
        arguments.Add(labels.Strides[0]);
        arguments.Add(weight is { } w ? Address(w) : 0UL);
        arguments.Add(weight is { } ws ? ws.Strides[0] : 0L);
        arguments.Add(ignoreIndex);
        arguments.Add(smoothing);
        return arguments;
    }
}
