namespace Engine.Ops;

/// <summary>Records an op's output on the open tapes; ops call it after computing the forward value.</summary>
internal static class Recording
{
    public static Tensor Record(this Tensor output, string name, Tensor[] inputs, Tensor[] saved, Autodiff.BackwardRule rule)
    {
        Autodiff.Tape.Record(name, output, inputs, saved, rule);
        return output;
    }
}
