namespace DigestTools.Engine.Pinning
{
    /// <summary>When the pinning workflow may pull (docker's --pull); DigestTools.PullPolicy is its public face.</summary>
    public enum ImagePullPolicy
    {
        Missing,
        Always,
        Never,
    }
}
