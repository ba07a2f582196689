"""Commands over many stacks at once, through Pulumi's Automation API (`python -m pulumi_qlik drift`)."""
