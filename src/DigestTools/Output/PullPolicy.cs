namespace DigestTools
{
    /// <summary>When New-PinnedContainer may pull: like docker's --pull.</summary>
    public enum PullPolicy
    {
        /// <summary>Pull only when the engine does not have the image (docker's default).</summary>
        Missing,
        /// <summary>Always pull; a tag is then resolved by the registry, through the engine.</summary>
        Always,
        /// <summary>Never pull: the image must already be in the engine.</summary>
        Never,
    }
}
