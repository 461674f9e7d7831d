/** The app's installation on the shop: the owner of app-data metafields, which themes read as `app.metafields`. */
export const document = /* GraphQL */ `
  query CurrentAppInstallation {
    currentAppInstallation {
      id
    }
  }
`;

export interface CurrentAppInstallationData {
  currentAppInstallation: { id: string };
}
